# The interpolation study (Wu et al. 2022): per (task, pair, seed) a target-only
# and a bilingual model trained like the zero-shot source model (same settings,
# same seed, so the same start), then one job evaluating the grids of both lines
# and of the plane on the source and target dev sets. It keeps each point as it
# goes (checkpoints/) and resumes at the next when killed.


rule train_interpolation_model:
    """Train the target-only or the bilingual model of a pair, selected on the
    dev sets of the languages it trains on."""
    input:
        checked=ancient(CORPORA_CHECKED),
        train=lambda wildcards: interpolation_corpora(wildcards, "train"),
        dev=lambda wildcards: interpolation_corpora(wildcards, "dev"),
        encoder=ENCODER_DIR,
    output:
        model=directory(f"{IP_RUN}/{{model}}/model"),
        summary=f"{IP_RUN}/{{model}}/train.json",
    log:
        logs("train_interpolation_model", f"{IP_PAIR}/{{model}}"),
    benchmark:
        bench("train_interpolation_model", f"{IP_PAIR}/{{model}}")
    wildcard_constraints:
        model=IP_MODELS,
    priority: LONG_CHAIN
    conda:
        "../envs/torch.yaml"
    threads: ENCODER_THREADS
    resources:
        mem_mb=32000,
        runtime=720,
        gpu=1,
    params:
        settings=lambda wildcards: training_settings(wildcards.task),
        options=lambda wildcards: task_options(wildcards.task),
        fine_tune=config["encoder"]["fine_tune"],
        max_length=lambda wildcards: task_max_length(wildcards.task),
        checkpoints=f"{CHECKPOINTS}/train_interpolation_model/{IP_PAIR}/{{model}}",
    script:
        "../workflow_scripts/train_interpolation_model.py"


rule interpolate:
    """Score every point of both lines and of the plane on the source and target
    dev sets (a grid file per kind; the models are loaded once, and a point that is
    the same model as another kind's is scored once)."""
    input:
        unpack(interpolation_models),
        source_dev=corpus("{task}", "{source}", "dev"),
        target_dev=corpus("{task}", "{target}", "dev"),
        encoder=ENCODER_DIR,
    output:
        grids=[f"{IP_RUN}/{kind}.csv" for kind in interpolation_family.KINDS],
    log:
        logs("interpolate", IP_PAIR),
    benchmark:
        bench("interpolate", IP_PAIR)
    priority: LONG_CHAIN
    conda:
        "../envs/torch.yaml"
    threads: ENCODER_THREADS
    resources:
        mem_mb=16000,
        runtime=240,
        gpu=1,
    params:
        device=config["training"]["device"],
        alphas=config["interpolation"]["alphas"],
        plane_alphas=config["interpolation"]["plane_alphas"],
        only=interpolation_family.only(config),
        kinds=interpolation_family.KINDS,
        points=f"{CHECKPOINTS}/interpolate/{IP_PAIR}",
    script:
        "../workflow_scripts/interpolate.py"


rule aggregate_interpolation:
    """Every grid -> the tidy points, normalised lines with 95 % bands (pooled and
    per task), the variance over seeds, the directions' geometry, Markdown."""
    input:
        grids=interpolation_grids(),
    output:
        points=R("tables/interpolation_points.csv"),
        lines=R("tables/interpolation_lines.csv"),
        variance=R("tables/interpolation_variance.csv"),
        geometry=R("tables/interpolation_geometry.csv"),
        summary=R("tables/interpolation.md"),
    log:
        logs("aggregate_interpolation"),
    benchmark:
        bench("aggregate_interpolation")
    localrule: True
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        experiment=config["experiment"],
    script:
        "../workflow_scripts/aggregate_interpolation.py"


rule plot_interpolation_lines:
    """Normalised scores along the lines, pooled and per task (Figures 2, 6-9)."""
    input:
        lines=R("tables/interpolation_lines.csv"),
    output:
        png=report(
            R("figures/interpolation_lines.png"),
            category=REPORT_CATEGORIES["interpolation"],
            subcategory="Figures",
            caption="../report/interpolation_lines.rst",
            labels={"figure": "Scores along the two lines"},
        ),
        pdf=R("figures/interpolation_lines.pdf"),
    log:
        logs("plot_interpolation_lines"),
    benchmark:
        bench("plot_interpolation_lines")
    localrule: True
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        style=config["figures"],
    script:
        "../workflow_scripts/plot_interpolation_lines.py"


rule plot_interpolation_variance:
    """Variance over seeds along the lines (Figure 5)."""
    input:
        variance=R("tables/interpolation_variance.csv"),
    output:
        png=report(
            R("figures/interpolation_variance.png"),
            category=REPORT_CATEGORIES["interpolation"],
            subcategory="Figures",
            caption="../report/interpolation_variance.rst",
            labels={"figure": "Spread of the scores along the lines"},
        ),
        pdf=R("figures/interpolation_variance.pdf"),
    log:
        logs("plot_interpolation_variance"),
    benchmark:
        bench("plot_interpolation_variance")
    localrule: True
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        style=config["figures"],
    script:
        "../workflow_scripts/plot_interpolation_variance.py"


rule plot_interpolation_plane:
    """The plane as contours per task, pair and dev set (Figures 3 and 10)."""
    input:
        points=R("tables/interpolation_points.csv"),
    output:
        png=report(
            R("figures/interpolation_plane.png"),
            category=REPORT_CATEGORIES["interpolation"],
            subcategory="Figures",
            caption="../report/interpolation_plane.rst",
            labels={"figure": "Scores on the plane of the three models"},
        ),
        pdf=R("figures/interpolation_plane.pdf"),
    log:
        logs("plot_interpolation_plane"),
    benchmark:
        bench("plot_interpolation_plane")
    localrule: True
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        style=config["figures"],
    script:
        "../workflow_scripts/plot_interpolation_plane.py"


rule plot_interpolation_geometry:
    """Norm ratio of the two directions against their angle (Figure 4)."""
    input:
        geometry=R("tables/interpolation_geometry.csv"),
    output:
        png=report(
            R("figures/interpolation_geometry.png"),
            category=REPORT_CATEGORIES["interpolation"],
            subcategory="Figures",
            caption="../report/interpolation_geometry.rst",
            labels={"figure": "Norms and angle of the two directions"},
        ),
        pdf=R("figures/interpolation_geometry.pdf"),
    log:
        logs("plot_interpolation_geometry"),
    benchmark:
        bench("plot_interpolation_geometry")
    localrule: True
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        style=config["figures"],
    script:
        "../workflow_scripts/plot_interpolation_geometry.py"

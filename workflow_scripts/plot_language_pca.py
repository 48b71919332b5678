"""Figure 4 of the factorization experiment: PCA of posterior samples of the language vectors."""

from xlt.core.fileio import read_json
from xlt.core.scripting import run
from xlt.families.factorization.plots import language_pca
from xlt.languages.table import read_language_table
from xlt.plotting import save


def main(job):
    table = read_language_table(job.input.languages)
    families = dict(zip(table["code"], table["family"], strict=True))
    fig = language_pca(
        read_json(job.input.posterior),
        families,
        job.params.samples,
        job.params.seed,
        job.params.style,
    )
    save(fig, job.output.png, job.output.pdf, job.params.style["dpi"])


if __name__ == "__main__":
    run(main, globals().get("snakemake"))

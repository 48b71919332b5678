"""Guards the per-rule conda environments (envs/*.yaml).

Each rule in rules/*.smk runs its script in the environment its ``conda:``
names. The script's imports, followed through the xlt library (lazy imports
inside functions included), must all be listed in that environment; every pin
there must equal the pin in requirements.txt (the environment the tests run
in); every rule names an existing environment and every environment is used.
The rule files are read afresh on every run, never imported through Snakemake.
"""

import ast
import re
import sys
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
import yaml

from workflow_helpers import rule_blocks

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "workflow_scripts"
ENVS = ROOT / "envs"

# Import names whose distribution is named differently, for when the package is
# not installed here (packages_distributions() knows only installed ones).
DISTRIBUTION_FALLBACK = {"yaml": "pyyaml", "sklearn": "scikit-learn", "pkg_resources": "setuptools"}
# Distributions that need another one at runtime that their metadata does not
# declare: lang2vec imports pkg_resources, which setuptools 81 removed, so an
# environment with lang2vec also lists setuptools (pinned <81 in requirements.txt).
NEEDS = {"lang2vec": ["setuptools"]}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def split_requirement(line: str) -> tuple[str, str]:
    """``"numpy==2.4.6"`` -> ``("numpy", "==2.4.6")``, the name normalized."""
    name, spec = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(.*)", line.strip()).groups()
    return normalize(name), spec.replace(" ", "")


def parse_rules() -> dict[str, dict]:
    """Rule name -> its .smk file, env file and script (absolute paths or None)."""
    rules = {}
    for name, (smk, block) in rule_blocks().items():
        found = {}
        for key in ("conda", "script"):
            match = re.search(rf"^\s+{key}:\s*[\"']([^\"']+)[\"']", block, flags=re.M)
            found[key] = (smk.parent / match.group(1)).resolve() if match else None
        rules[name] = {"smk": smk.name, **found}
    return rules


def module_file(root: Path, dotted: str) -> Path | None:
    base = root.joinpath(*dotted.split("."))
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def third_party_imports(root: Path, script: Path) -> dict[str, Path]:
    """Top-level names of the non-stdlib modules ``script`` reaches -> a file importing
    each. Imports of modules under ``root`` (first party) are followed transitively,
    including those inside functions; importing ``a.b.c`` also runs ``a`` and ``a.b``."""
    found: dict[str, Path] = {}
    seen: set[Path] = set()
    todo = [script]
    while todo:
        path = todo.pop()
        if path is None or path in seen:
            continue
        seen.add(path)
        package = path.parent.relative_to(root).parts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules, submodules = [alias.name for alias in node.names], []
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: resolved against the importing package
                    parent = package[: len(package) - node.level + 1]
                    base = ".".join([*parent, base] if base else parent)
                # `from a import b` imports a, and a.b when b is a submodule
                modules, submodules = [base], [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            for name in modules + submodules:
                top = name.split(".")[0]
                if module_file(root, top) is None:  # not first party
                    if name in modules and top not in sys.stdlib_module_names:
                        found.setdefault(top, path)
                    continue
                parts = name.split(".")
                todo += [module_file(root, ".".join(parts[:i])) for i in range(1, len(parts) + 1)]
    return found


@cache
def distribution(import_name: str) -> str:
    installed = packages_distributions().get(import_name)
    if installed:
        return normalize(installed[0])
    return normalize(DISTRIBUTION_FALLBACK.get(import_name, import_name))


def env_packages(env: Path) -> dict[str, str]:
    """Normalized name -> specifier of the pip section of a conda env file."""
    packages = {}
    for dep in yaml.safe_load(env.read_text())["dependencies"]:
        if isinstance(dep, dict):
            packages.update(split_requirement(line) for line in dep.get("pip", []))
    return packages


def requirements() -> dict[str, str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return dict(split_requirement(line) for line in lines if line.split("#")[0].strip())


RULES = parse_rules()


@pytest.mark.parametrize("rule", sorted(RULES))
def test_env_has_every_import_of_the_rule(rule):
    info = RULES[rule]
    env, script = info["conda"], info["script"]
    if script is None:
        pytest.skip(f"rule {rule} runs no script")
    assert script.is_file(), f"rule {rule} ({info['smk']}): script {script} not found"
    assert env is not None and env.is_file(), f"rule {rule}: no conda env file"
    listed = env_packages(env)
    missing = []
    for name, importer in sorted(third_party_imports(SCRIPTS, script).items()):
        dist, where = distribution(name), importer.relative_to(ROOT)
        if dist not in listed:
            missing.append(f"{dist} (import {name} in {where})")
        missing += [
            f"{need} (needed by {dist}, imported in {where})"
            for need in NEEDS.get(dist, [])
            if need not in listed
        ]
    assert not missing, (
        f"rule {rule} ({info['smk']}) runs in envs/{env.name}, which lacks: " + "; ".join(missing)
    )


def test_env_pins_match_requirements():
    pinned = requirements()
    wrong = []
    for env in sorted(ENVS.glob("*.yaml")):
        conda = [d for d in yaml.safe_load(env.read_text())["dependencies"] if isinstance(d, str)]
        wrong += [
            f"envs/{env.name}: conda dependency {dep!r} (list Python packages under pip:)"
            for dep in conda
            if re.split(r"[=<> ]", dep)[0] not in ("python", "pip")
        ]
        for name, spec in env_packages(env).items():
            if name not in pinned:
                wrong.append(f"envs/{env.name}: {name}{spec} is not in requirements.txt")
            elif spec != pinned[name]:
                wrong.append(f"envs/{env.name}: {name}{spec}, requirements.txt {pinned[name]}")
    assert not wrong, "\n".join(wrong)


def test_every_rule_has_an_env_and_every_env_is_used():
    assert RULES, "no rules found in rules/*.smk"
    problems = [
        f"rule {rule} ({info['smk']}): conda env {info['conda'] or 'missing'}"
        for rule, info in sorted(RULES.items())
        if info["conda"] is None or not info["conda"].is_file()
    ]
    used = {info["conda"] for info in RULES.values()}
    problems += [
        f"envs/{env.name} is used by no rule"
        for env in sorted(ENVS.glob("*.yaml"))
        if env.resolve() not in used
    ]
    assert not problems, "\n".join(problems)


def test_walker_follows_lazy_imports_through_a_package(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("import json\n")
    (pkg / "a.py").write_text("def f():\n    import numpy.linalg\n")
    (pkg / "b.py").write_text("from .a import f\nimport yaml\n")
    script = tmp_path / "script.py"
    script.write_text("from pkg import b\n")
    found = third_party_imports(tmp_path, script)
    assert found == {"numpy": pkg / "a.py", "yaml": pkg / "b.py"}

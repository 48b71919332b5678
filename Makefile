# The two commands of the README:
#   make run    install what is needed, run the embedded default, build the report
#   make test   install what is needed, run the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORES ?= 2

.PHONY: run test test-fast lint clean reproduce check-report

# The packages are byte-compiled on every core afterwards instead of by pip on one
# (torch's test helper py312_intrinsics.py is Python 3.12 syntax; pip skips it
# silently, compileall is told to).
$(BIN)/snakemake: requirements.txt requirements-encoder.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed (snakemake 9); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet --no-compile -r requirements.txt
	$(BIN)/pip install --quiet --no-compile --no-deps -r requirements-encoder.txt
	$(BIN)/python -m compileall -q -j $(CORES) -x py312_intrinsics $(VENV)/lib
	touch $@

run: $(BIN)/snakemake
	$(BIN)/snakemake --cores $(CORES)
	$(BIN)/snakemake --report results/default/report.html

# One pytest worker more than cores: the SLURM tests' worker spends minutes
# waiting on SLURM (its time limit, the plugin's status checks) with a core
# idle, which the extra worker fills. The tests of a module that share a
# wider-than-test fixture (e.g. a finished smoke workflow) run on one worker,
# built once; every other test goes to whichever worker is free
# (tests/conftest.py marks the groups and puts the end-to-end runs first; no
# reordering by size). The slowest tests and fixtures are listed at the end:
# where CI's time goes.
test: $(BIN)/snakemake
	$(BIN)/python -m pytest -n $$(( $(CORES) + 1 )) --dist loadgroup --no-loadscope-reorder --durations=25

# The fast lane: no Snakemake run (not even a dry run) and no training; the tests
# marked slow (pyproject.toml) are left to `make test`.
test-fast: $(BIN)/snakemake
	$(BIN)/python -m pytest -n $(CORES) -m "not slow"

# The papers reproduced at small scale with a real encoder, offline (docs/reproduction.md):
# every configs/reproduce-*.yaml in turn, or one: make reproduce CONFIG=configs/reproduce-x.yaml
CONFIG ?= $(wildcard configs/reproduce-*.yaml)
# Each run's wall time and commit go to results/<experiment>/reproduction.json, and
# docs/reproduction.md is rewritten from every recorded run's findings.
reproduce: $(BIN)/snakemake
	@for config in $(CONFIG); do \
	  start=$$(date +%s); \
	  commit=$$(PYTHONPATH=workflow_scripts $(BIN)/python -m xlt.reproduction commit); \
	  $(BIN)/snakemake --cores $(CORES) --configfile $$config \
	    || exit 1; \
	  PYTHONPATH=workflow_scripts $(BIN)/python -m xlt.reproduction record $$config \
	    $$(( $$(date +%s) - start )) --commit $$commit || exit 1; \
	done; \
	PYTHONPATH=workflow_scripts $(BIN)/python -m xlt.reproduction page

# The default's report opened in headless Chromium (the Debian package chromium):
# fails when the front page lacks the scorecard or a figure or table does not
# display (tools/check_report.py). Runs the default first if it has not run.
REPORT ?= results/default/report.html
check-report: $(BIN)/snakemake
	$(BIN)/python -c 'import playwright' 2>/dev/null || $(BIN)/pip install --quiet playwright==1.65.3
	$(BIN)/snakemake --cores $(CORES)
	$(BIN)/snakemake --report $(REPORT)
	$(BIN)/python tools/check_report.py $(REPORT)

lint: $(BIN)/snakemake
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/snakefmt --check Snakefile rules
	$(BIN)/codespell
	$(BIN)/snakemake --lint
	PYTHONPATH=workflow_scripts $(BIN)/lint-imports
	$(BIN)/python tools/check_links.py
	$(BIN)/python tools/config_reference.py --check

clean:
	rm -rf results logs checkpoints .snakemake

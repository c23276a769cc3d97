# make run    — set everything up and start the program on the built-in sample
# make test   — set everything up and run every check (ruff, import-linter, mypy, pytest)
# make bundle — dist/jixiao: the program in one folder (PyInstaller), for this system
# make deb    — dist/jixiao_<version>_<arch>.deb: that bundle as a Debian package
# PYTHON=/path/to/python3.x builds .venv with that interpreter; by default the first Python
# 3.11+ of python3.11, python3 on PATH (installer/find-python.sh, run after system-deps.sh).
PYTHON ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD_STAMP := $(VENV)/.build-installed

.PHONY: run test lint bench screenshots bundle deb setup system-deps clean

# The Debian packages each command needs (installer/system-deps.sh): as root it installs
# them, otherwise it names them. `make run` only what running needs; `make test` the test
# tools too; `make bundle`/`make deb` the build tools.
test: DEPS := test
bundle deb: DEPS := bundle
# every other target (run, setup, lint, bench, screenshots): the run set
DEPS ?= run

run: $(STAMP)
	$(BIN)/jixiao --sample

test: $(STAMP) lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks.run --output docs/benchmarks.md

screenshots: $(STAMP)  # the user guide's pictures, taken from the program (docs/user-guide/)
	QT_QPA_PLATFORM=offscreen $(BIN)/python installer/tools/make_screenshots.py

bundle: $(BUILD_STAMP)
	rm -rf dist/jixiao
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		installer/jixiao.spec
	@echo "dist/jixiao: $$(du -sh dist/jixiao | cut -f1)"

deb: bundle
	bash installer/linux/build-deb.sh

$(BUILD_STAMP): $(STAMP) installer/requirements-build.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-r installer/requirements-build.lock
	touch $(BUILD_STAMP)

lint: $(STAMP)
	$(BIN)/ruff check desktop tests installer benchmarks
	$(BIN)/ruff format --check desktop tests installer benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy

setup: $(STAMP)

system-deps:
	bash installer/system-deps.sh $(DEPS)

$(STAMP): requirements.lock pyproject.toml | system-deps  # system-deps runs every time
	python=$$(bash installer/find-python.sh $(PYTHON)) \
		&& rm -rf $(VENV) \
		&& "$$python" -m venv $(VENV)  # a changed lock starts from a clean environment
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache

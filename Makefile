# make run    — set everything up and start the program on the built-in sample
# make test   — set everything up and run every check (ruff, import-linter, mypy, pytest)
# make bundle — dist/jixiao: the program in one folder (PyInstaller), for this system
# make deb    — dist/jixiao_<version>_<arch>.deb: that bundle as a Debian package
# make deb-bullseye — dist/bullseye/jixiao_<version>_amd64.deb for the 信创 desktops with
#                glibc 2.31 (UOS, Kylin), built in a Debian 11 root (docs/platforms.md)
# make deb-arm64    — the same for arm64 (飞腾, 鲲鹏), built under qemu-user-static
# make fresh-bullseye — both installed into fresh Debian 11 roots and run (CI)
# PYTHON=/path/to/python3.x builds .venv with that interpreter; by default the first Python
# 3.11+ of python3.11, python3 on PATH (installer/find-python.sh, run after system-deps.sh).
# LOCK=file installs .venv from another lock file (the 信创 builds derive one from
# requirements.lock: installer/linux/bullseye-deb.sh).
PYTHON ?=
LOCK ?= requirements.lock
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD_STAMP := $(VENV)/.build-installed

.PHONY: run test lint bench county screenshots bundle deb deb-bullseye deb-arm64 fresh-bullseye setup system-deps clean

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

county: $(STAMP)  # build/county.jxdb: a county's 汇总 file (300 units, ≈115 MB) to try big files
	mkdir -p build && rm -f build/county.jxdb
	$(BIN)/python -c "from pathlib import Path; from benchmarks.generate import write_county; \
		write_county(Path('build/county.jxdb'))"
	@echo "build/county.jxdb: open it with $(BIN)/jixiao build/county.jxdb"

screenshots: $(STAMP)  # the user guide's pictures, taken from the program (docs/user-guide/)
	QT_QPA_PLATFORM=offscreen $(BIN)/python installer/tools/make_screenshots.py

bundle: $(BUILD_STAMP)
	rm -rf dist/jixiao
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		installer/jixiao.spec
	@echo "dist/jixiao: $$(du -sh dist/jixiao | cut -f1)"

deb: bundle
	bash installer/linux/build-deb.sh

deb-bullseye:  # as root: debootstrap, chroot (the first run also builds Python, ≈10 min)
	bash installer/system-deps.sh fresh-root
	bash installer/linux/bullseye-deb.sh amd64

deb-arm64:  # as root; the first run builds Python under emulation (see docs/platforms.md)
	bash installer/system-deps.sh fresh-root
	bash installer/linux/bullseye-deb.sh arm64

# As root: each 信创 package installed with apt into a freshly bootstrapped Debian 11 root and
# run as a clerk (.ci/fresh-debian.sh): amd64 --version, sample, print (PDF text and font),
# check and the window until painted; arm64 under emulation the same, or with
# FRESH_ARM64_CHECKS=reduced only --version, sample and check (.ci/run runs both packages'
# full checks: README, "The 信创 packages in CI").
FRESH_ARM64_CHECKS ?= full
fresh-bullseye: $(STAMP)  # .venv: the version to compare and the screenshot
	bash installer/system-deps.sh fresh-root
	FRESH_SUITE=bullseye FRESH_STEPS=deb bash .ci/fresh-debian.sh \
		dist/bullseye/jixiao_*_amd64.deb build/fresh-bullseye-amd64
	FRESH_SUITE=bullseye FRESH_STEPS=deb FRESH_ARCH=arm64 FRESH_CHECKS=$(FRESH_ARM64_CHECKS) \
		FRESH_GUI_SECONDS=900 bash .ci/fresh-debian.sh \
		dist/bullseye/jixiao_*_arm64.deb build/fresh-bullseye-arm64

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

$(STAMP): $(LOCK) pyproject.toml | system-deps  # system-deps runs every time
	python=$$(bash installer/find-python.sh $(PYTHON)) \
		&& rm -rf $(VENV) \
		&& "$$python" -m venv $(VENV)  # a changed lock starts from a clean environment
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache

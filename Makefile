# Two commands for a fresh machine: `make run` and `make test`. Each creates .venv
# and installs the project (editable, with dev tools) when pyproject.toml changes.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SRC := peerdesk ui tests packaging

.PHONY: venv system-deps system-deps-app run test bench reliability-report lint format screenshots package package-check clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev,package]"
	@touch $(STAMP)

venv: $(STAMP)

# The Debian/Ubuntu packages the app and the checks need (Qt's X11 libraries, the
# validators, Xvfb, dbus-daemon): installed when run as root, otherwise the script
# prints the one command to run and fails. Quick when everything is there.
system-deps:
	@bash packaging/system-deps.sh

system-deps-app:
	@bash packaging/system-deps.sh app

# The app on a demo profile with sample data (needs a display).
run: $(STAMP) system-deps-app
	$(BIN)/python -m ui.app --demo

# The whole suite on every core (pytest-xdist; TEST_WORKERS=0 runs it in one process).
TEST_WORKERS ?= auto
test: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest tests --ignore=tests/bench \
		-n $(TEST_WORKERS) --dist worksteal

bench: $(STAMP)
	$(BIN)/python -m tests.bench.run --out bench-results/bench.json

# The reliability suite with 5x its `make test` budgets (RELIABILITY_SCALE=N to change);
# writes the table in tests/reliability/README.md (about 25 minutes).
RELIABILITY_SCALE ?= 5
reliability-report: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.reliability.report --scale $(RELIABILITY_SCALE)

# Re-take the screenshots in resources/screenshots/ from the UI tests.
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen PEERDESK_UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest tests/ui -q

# The installer for this OS: dist/peerdesk/ (PyInstaller, one folder), on Linux also
# dist/peerdesk_<version>_<arch>.deb; see README, "For agency IT".
package: $(STAMP)
	$(BIN)/python packaging/build.py

# CI (Linux): build the bundle and the .deb, self-test both, check size and validators.
package-check: $(STAMP) system-deps
	$(BIN)/python packaging/build.py check

lint: $(STAMP)
	$(BIN)/ruff check $(SRC)
	$(BIN)/ruff format --check $(SRC)
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format $(SRC)
	$(BIN)/ruff check --fix $(SRC)

clean:
	rm -rf $(VENV) build dist *.egg-info bench-results

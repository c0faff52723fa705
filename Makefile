# `make demo` and `make test` each do their own set-up on a fresh Debian machine (as root).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast mutation bench deps venv clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $(STAMP)

venv: $(STAMP)

# System packages the tests and reports need (servers for live tests, CJK fonts for reports).
deps:
	@if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    python3-venv fonts-wqy-microhei libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils \
	    openssh-server openssh-client snmpd snmp nmap \
	    socat rsyslog libpam-pwquality libpam-google-authenticator >/dev/null; \
	else echo "deps: not root or no apt-get; skipping system packages"; fi

# The demo: the device simulator plays the lab network on 127.0.0.1, mlps scans it live over SSH.
demo: deps venv
	$(BIN)/mlps demo --out demo-out
	@echo "open demo-out/report.html (raw outputs in demo-out/raw; rescan them with: mlps scan --raw demo-out/raw)"

# Hypothesis runs the same examples every time in CI (profile `ci` in tests/conftest.py); every test has a timeout.
test: deps venv
	HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest

# The offline tests only: no sshd, snmpd, nmap, simulator or fixed port (tests marked `live` are left out), so they
# need no port lock (the report tests still need the fonts and poppler from `deps`).
test-fast: deps venv
	HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest -m "not live"

# Mutation score of the verdict logic against the fast tests (a benchmark like `make bench`, never part of `make test`).
# MODULES narrows it, e.g. `make mutation MODULES="scanner/rollup.py scanner/scoring.py"`.
MODULES ?=
mutation: venv
	$(BIN)/pip install -q -e '.[mutation]'
	$(BIN)/python mutation/run.py $(MODULES)

# Benchmarks print figures and write bench-out/*.json (never part of `make test`); lynis is the Linux reference.
BENCH_OUT := bench-out
bench: deps venv
	@if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends lynis >/dev/null; fi
	mkdir -p $(BENCH_OUT)
	$(BIN)/python bench/offline.py --configs 10000 --json $(BENCH_OUT)/offline.json
	$(BIN)/python bench/live.py --devices 200 --json $(BENCH_OUT)/live-200.json
	$(BIN)/python bench/live.py --devices 1000 --json $(BENCH_OUT)/live-1000.json
	$(BIN)/python bench/reports.py --assets 1000 --pdf-assets 100,300 --json $(BENCH_OUT)/reports.json
	$(BIN)/python bench/linux.py --json $(BENCH_OUT)/linux.json
	$(BIN)/python bench/summary.py $(BENCH_OUT)

clean:
	rm -rf $(VENV) demo-out mlps-out bench-out mutants

# `make demo` and `make test` each do their own set-up on a fresh Debian machine (as root).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast mutation bench deps venv clean wheelhouse bundle

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $(STAMP)

venv: $(STAMP)

# System packages the tests and reports need (servers for live tests, RabbitMQ for the zone collectors' tests,
# CJK fonts for reports, chromium for the HTML report's browser test and bench/reports.py, driven by
# playwright), and Microsoft's SARIF multitool from the npm registry (tests/test_ci_outputs.py validates the
# SARIF against GitHub's ingestion rules).
SARIF_MULTITOOL := .tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
deps:
	@if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    python3-venv fonts-wqy-microhei fontconfig libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 \
	    poppler-utils openssh-server openssh-client snmpd snmp nmap \
	    socat rsyslog libpam-pwquality libpam-google-authenticator chromium rabbitmq-server >/dev/null; \
	  command -v npm >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends nodejs npm >/dev/null; \
	else echo "deps: not root or no apt-get; skipping system packages"; fi
	@[ -x $(SARIF_MULTITOOL) ] || { npm install -s --prefix .tools --no-audit --no-fund \
	    @microsoft/sarif-multitool@5.7.0 >/dev/null && chmod u+x $(SARIF_MULTITOOL); }

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

# Mutation score of the verdict logic against the offline verdict tests listed in pyproject.toml [tool.mutmut]
# (a benchmark like `make bench`, never part of `make test`).
# MODULES narrows it, e.g. `make mutation MODULES="scanner/rollup.py scanner/scoring.py"`; SAMPLE=20 runs only 20
# random mutants of each module (stratified by function; the rate is then labelled sampled, with its 95 % interval).
MODULES ?=
SAMPLE ?=
mutation: venv
	$(BIN)/pip install -q -e '.[mutation]'
	$(BIN)/python mutation/run.py $(MODULES) $(if $(SAMPLE),--sample $(SAMPLE))
	$(BIN)/python mutation/lock_pass.py $(MODULES)

# Benchmarks print figures and write bench-out/*.json (never part of `make test`); lynis is the Linux reference.
# The fleet (bench/fleet.py: 2 s per command, configs of thousands of lines; in-process, through 2 zone collectors
# on a RabbitMQ of its own, Nornir and the floor) runs at 1 000 devices here; issue 13's goal is the 10 000 run:
#   $(BIN)/python bench/fleet.py --devices 10000 --latency 2 --zones 2 --json $(BENCH_OUT)/fleet-10000.json
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
	$(BIN)/python bench/fleet.py --devices 1000 --latency 2 --zones 2 --scanner-workers 1000 --json $(BENCH_OUT)/fleet-1000.json
	$(BIN)/python bench/fleet_timeline.py --devices 1000 --json $(BENCH_OUT)/fleet-timeline-1000.json
	$(BIN)/python bench/summary.py $(BENCH_OUT)

# An offline bundle for machines with no internet (内网): wheels of the tool and every dependency for this machine's
# Python and CPU, packed as wheelhouse.tar.gz. Install on the target (same Python minor version and arch):
#   tar xzf wheelhouse.tar.gz && python3 -m venv /opt/mlps
#   /opt/mlps/bin/pip install --no-index --find-links wheelhouse mlps-scanner
WHEELHOUSE ?= wheelhouse
wheelhouse: venv
	$(MAKE) --no-print-directory bundle BIN=$(BIN)

bundle:
	rm -rf $(WHEELHOUSE) && mkdir -p $(WHEELHOUSE)
	$(BIN)/python -m pip wheel -q --wheel-dir $(WHEELHOUSE) .
	tar czf $(WHEELHOUSE).tar.gz -C $(dir $(abspath $(WHEELHOUSE))) $(notdir $(abspath $(WHEELHOUSE)))
	@echo "wrote $(WHEELHOUSE).tar.gz ($$(ls $(WHEELHOUSE) | wc -l) wheels)"

clean:
	rm -rf $(VENV) demo-out mlps-out bench-out mutants .mutation-work .tools wheelhouse wheelhouse.tar.gz

# asroll: the two commands a newcomer runs are `make demo` and `make test`.
SHELL       := /bin/bash
.SHELLFLAGS := -eo pipefail -c
SWIFT       ?= swift
APT_PACKAGES = libssh2-1-dev openssh-server pkgconf
DEMO_DIR    ?= /tmp/asroll-demo
# Tests whose assertions are wall-clock bounds: they run first, alone, so that the CPU-heavy simulator and end-to-end
# suites (dozens of sshd and asroll processes on 2 cores) cannot delay them by seconds.
TIMING_TESTS = SSHTimeoutTests|SSHConnectionLossTests|SSHParallelTests|InfoConnectionTests|TCPSocketTests

.PHONY: deps build test demo bench clean

# Installs the system packages the build and the tests need, only when they are missing.
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

build: deps
	$(SWIFT) build

# Builds everything (a warning in our own sources fails the build) and runs every test: unit, sshd integration,
# simulator, end to end.
test: deps
	@mkdir -p .build
	$(SWIFT) build --build-tests 2>&1 | tee .build/test-build.log
	@if grep -E '/(Sources|Tests)/[^ ]*: warning:' .build/test-build.log; then \
		echo "make test: the build has warnings in the project's sources (above)"; exit 1; fi
	@echo "== tests that measure time (deadlines, lost connections, parallelism), on a quiet machine =="
	$(SWIFT) test --skip-build --filter '$(TIMING_TESTS)'
	@echo "== unit, integration and simulator tests =="
	$(SWIFT) test --skip-build --skip '$(TIMING_TESTS)|EndToEndTests'
	@echo "== end-to-end tests: the asroll binary against the simulator =="
	$(SWIFT) test --skip-build --filter EndToEndTests

# Starts a 3-node simulated cluster (sshd on 127.0.77.N:2222, so that a host sshd on :22 cannot collide), rolls
# it with playbooks/demo.yml, shows the result, and stops the simulator.
demo: deps
	$(SWIFT) build
	scripts/demo.sh

# Benchmarks on this machine: SSH latencies (loopback sshd), info round trips and a 3-node roll (simulator).
bench: deps
	$(SWIFT) build -c release
	.build/release/asroll-bench

clean:
	rm -rf .build

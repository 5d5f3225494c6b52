# capability-exporter
#   make run    install what is missing, build, run the exporter on this host (as root)
#   make test   install what is missing, build, run every test
#   make build  build only;  make bench  run the benchmarks (see bench/README.md)

# Debian/Ubuntu packages the build, the tests and the benchmarks need.
PACKAGES := clang llvm libbpf-dev libbpf1 bpftool gcc make maven default-jdk-headless \
            linux-libc-dev libcap2-bin util-linux procps wrk
# kubectl renders deploy/ in the tests (`kubectl kustomize`): Debian's kubernetes-client, only when
# no kubectl is installed at all (its kubectl 1.20 renders the base; the otel-collector component
# needs kubectl 1.21 or later).
PACKAGES += $(if $(shell command -v kubectl 2>/dev/null),,kubernetes-client)
MVN := mvn -B -ntp
ARGS ?=

.PHONY: deps build test run bench clean

deps:
	@missing=$$(for p in $(PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null; then \
	    echo "missing: $$missing (install them with your package manager)" >&2; exit 1; fi; \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "missing: $$missing; run as root or: sudo apt-get install $$missing" >&2; exit 1; fi; \
	  echo "installing: $$missing"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

build: deps
	$(MVN) -q package -DskipTests

test: deps
	$(MVN) verify

run: build
	@if [ "$$(id -u)" != 0 ]; then echo "make run loads a BPF program: run it as root (sudo make run)" >&2; exit 1; fi
	bin/capability-exporter run $(ARGS)

bench: build
	bench/run-all.sh

clean:
	$(MVN) -q clean
	$(MAKE) -C bpf clean

# capability-exporter
#   make run    install what is missing, build, run the exporter on this host (as root)
#   make test   install what is missing, build, run every test
#   make e2e    build the image from deploy/Dockerfile and run it under real container runtimes
#   make build  build only;  make bench  run the benchmarks (see bench/README.md)

# Debian/Ubuntu packages the build, the tests and the benchmarks need.
PACKAGES := clang llvm libbpf-dev libbpf1 bpftool gcc make maven default-jdk-headless \
            linux-libc-dev libcap2-bin util-linux mount procps wrk curl patch openssl
# kubectl renders deploy/ in the tests (`kubectl kustomize`): Debian's kubernetes-client, only when
# no kubectl is installed at all (its kubectl 1.20 renders the base; the otel-collector component
# needs kubectl 1.21 or later).
PACKAGES += $(if $(shell command -v kubectl 2>/dev/null),,kubernetes-client)
# promtool (the alert rules' tests) and prometheus (their end-to-end test) come from Debian's
# prometheus, installed on its own, without the node exporter it recommends. Its postinst starts
# the prometheus service: in a container without an init system invoke-rc.d cannot tell the
# runlevel and skips it, and the install succeeds; with systemd it would start a Prometheus on
# :9090. So for the length of that install /usr/sbin/policy-rc.d answers 101 ("not allowed"),
# which invoke-rc.d and deb-systemd-invoke both obey: no service is started, on any init system
# (a policy-rc.d already there, as Docker images ship, is left as it is). On a host with systemd
# the unit stays enabled for the next boot: `systemctl disable prometheus` if you do not want it.
PROMETHEUS_PACKAGE := prometheus
# make e2e's: a Debian base image from packages, the image built and run (e2e/run.sh).
E2E_PACKAGES := debootstrap debian-archive-keyring containerd runc podman buildah docker.io
MVN := mvn -B -ntp
ARGS ?=

.PHONY: deps build test e2e run bench clean

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
	@if ! dpkg-query -W -f='$${Status}\n' $(PROMETHEUS_PACKAGE) 2>/dev/null | grep -q 'ok installed'; then \
	  if ! command -v apt-get >/dev/null; then \
	    echo "missing: promtool and prometheus (package $(PROMETHEUS_PACKAGE)); install them with your package manager" >&2; exit 1; fi; \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "missing: $(PROMETHEUS_PACKAGE); run as root or: sudo apt-get install --no-install-recommends $(PROMETHEUS_PACKAGE)" >&2; exit 1; fi; \
	  echo "installing: $(PROMETHEUS_PACKAGE) (promtool and prometheus; its service is not started)"; \
	  if [ ! -e /usr/sbin/policy-rc.d ]; then \
	    trap 'rm -f /usr/sbin/policy-rc.d' EXIT; \
	    printf '#!/bin/sh\n# make deps: no service starts while prometheus installs\nexit 101\n' > /usr/sbin/policy-rc.d; \
	    chmod 755 /usr/sbin/policy-rc.d; fi; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(PROMETHEUS_PACKAGE); \
	fi

build: deps
	$(MVN) -q package -DskipTests

test: deps
	$(MVN) verify

e2e: build
	e2e/install.sh $(E2E_PACKAGES)
	e2e/run.sh

run: build
	@if [ "$$(id -u)" != 0 ]; then echo "make run loads a BPF program: run it as root (sudo make run)" >&2; exit 1; fi
	bin/capability-exporter run $(ARGS)

bench: build
	bench/run-all.sh

clean:
	$(MVN) -q clean
	$(MAKE) -C bpf clean

# capability-exporter
#   make run    install what running needs, build, run the exporter on this host (as root)
#   make test   install what the tests need too, build, run every test
#   make unit   the same but the tests tagged kernel (root, BPF, cgroups): runs as any user
#   make e2e    build the image from deploy/Dockerfile and run it under real container runtimes
#   make build  build only;  make bench  run the benchmarks (see bench/README.md)
#   make mixin  render mixin/ into alerts/*.rules.yml and grafana/*.json

# Debian/Ubuntu packages, installed where missing by bin/install-packages (no service started).
# make run's: building (clang for the BPF object, gcc for the native helper, Maven, the JDK) and
# running (libbpf1). Nothing only the tests use goes on the host the exporter monitors.
RUN_PACKAGES := clang llvm libbpf-dev libbpf1 gcc make maven default-jdk-headless linux-libc-dev
# make test's besides: bpftool (programs loaded), setpriv and mount (util-linux, mount), openssl
# (the web config's certificates), curl, procps, libcap2-bin; wrk, patch and python3 (bench/http)
# for make bench.
TEST_PACKAGES := bpftool libcap2-bin util-linux mount procps wrk curl patch openssl python3
# shfmt holds the shell scripts to one style (scripts/ShellFormatTest: shfmt -d -i 2 -ci).
TEST_PACKAGES += shfmt
# No kubectl and no helm: the tests render the chart with Helm's own library (helm-java, from
# Maven) and read deploy/'s kustomization themselves, so any kubectl, or none, will do.
# jsonnet renders mixin/ into alerts/ and grafana/, and the tests render it again to find a stale
# copy: Debian's jsonnet 0.18 is all it needs (no grafonnet, no jsonnet-bundler, no network).
TEST_PACKAGES += jsonnet
# promtool (the alert rules' tests), prometheus and Alertmanager (their end-to-end test) come from
# Debian's prometheus and prometheus-alertmanager, without what they recommend; no service started.
PROMETHEUS_PACKAGES := prometheus prometheus-alertmanager
# make e2e's: a Debian base image from packages, the image built and run (e2e/run.sh).
E2E_PACKAGES := debootstrap debian-archive-keyring containerd runc podman buildah docker.io
MVN := mvn -B -ntp
ARGS ?=

.PHONY: deps-run deps build test unit e2e run bench mixin manifests clean

deps-run:
	@bin/install-packages $(RUN_PACKAGES)

deps: deps-run
	@bin/install-packages $(TEST_PACKAGES)
	@bin/install-packages --no-install-recommends $(PROMETHEUS_PACKAGES)

build: deps-run
	$(MVN) -q package -DskipTests

test: deps
	$(MVN) verify

# JUnit's tag kernel (testing/KernelTest) marks what needs root; surefire and failsafe both leave it out.
unit: deps
	$(MVN) verify -DexcludedGroups=kernel

e2e: deps build
	@bin/install-packages --no-install-recommends $(E2E_PACKAGES)
	e2e/run.sh

run: build
	@if [ "$$(id -u)" != 0 ]; then echo "make run loads a BPF program: run it as root (sudo make run)" >&2; exit 1; fi
	bin/capability-exporter run $(ARGS)

bench: deps build
	bench/run-all.sh

# alerts/ and grafana/ rendered again from mixin/; then the chart's render of them, deploy/manifests/.
mixin:
	@bin/install-packages jsonnet
	mixin/render.sh
	$(MAKE) --no-print-directory manifests

# deploy/manifests/ rendered again from the chart by tools/ (Helm's library from Maven: no helm CLI).
manifests: deps-run
	$(MVN) -q -pl tools compile exec:java -Dexec.args="$(CURDIR)"

clean:
	$(MVN) -q clean
	$(MAKE) -C bpf clean

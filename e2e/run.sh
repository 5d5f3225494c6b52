#!/bin/bash
# make e2e: the exporter's image built from deploy/Dockerfile and run under real container
# runtimes with the DaemonSet's privileges (exporter/src/test/java/.../deploy/*E2E.java say what
# each checks). As root, with the packages `make e2e` installs, the jar `make build` made, and a
# Debian mirror; no image registry. Everything it makes is in one directory, removed at the end,
# also when it fails.
set -euo pipefail
cd "$(dirname "$0")/.."
. e2e/lib.sh

if [ "$(id -u)" != 0 ]; then
  echo "make e2e runs containers and loads a BPF program: run it as root (sudo make e2e)" >&2
  exit 1
fi
work=$(mktemp -d "${TMPDIR:-/var/tmp}/capexp-e2e.XXXXXX")
trap 'e2e/clean.sh "$work"' EXIT
trap 'exit 130' INT TERM
start=$SECONDS

echo "e2e: base image from Debian packages (debootstrap)"
e2e/base-image.sh "$work"
echo "e2e: exporter image from deploy/Dockerfile ($((SECONDS - start)) s)"
e2e/exporter-image.sh "$work"
echo "e2e: servers image from Debian packages ($((SECONDS - start)) s)"
e2e/servers-image.sh "$work"
echo "e2e: tests ($((SECONDS - start)) s)"
mvn -B -ntp -Pe2e verify -De2e.dir="$work" -De2e.images="$work/images.tar" \
  -De2e.image="$E2E_IMAGE" -De2e.base="$E2E_BASE" -De2e.servers="$E2E_SERVERS" \
  -De2e.podman="$(e2e_podman_options)"
echo "e2e: passed in $((SECONDS - start)) s"

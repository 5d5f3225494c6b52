#!/bin/bash
# The exporter's image, built by podman (buildah) from deploy/Dockerfile with the launcher and jar
# that `make build` made (--build-arg JAR=prebuilt): nothing is pulled and the build has no
# network. Saved with the base, which the workload containers run, as one docker-archive
# ($work/images.tar) for the runtimes to import.
#   e2e/exporter-image.sh WORK
set -euo pipefail
work=$1
cd "$(dirname "$0")/.."
. e2e/lib.sh

# A builder reads deploy/Dockerfile.dockerignore by itself only in BuildKit: named here.
logged build e2e_podman build --pull=never --network=none \
  --ignorefile deploy/Dockerfile.dockerignore --build-arg JAR=prebuilt \
  -f deploy/Dockerfile -t "$E2E_IMAGE" .
logged save e2e_podman save --multi-image-archive --format docker-archive \
  -o "$work/images.tar" "$E2E_IMAGE" "$E2E_BASE"

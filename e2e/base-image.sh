#!/bin/bash
# The Debian base that deploy/Dockerfile's FROM lines name, made from Debian packages with
# debootstrap, as no image registry is needed then: bookworm (minbase) with the run stage's
# packages already in it, so that the image builds with no network. Imported into the run's own
# podman store as debian:bookworm and debian:bookworm-slim.
#   e2e/base-image.sh WORK      (DEBIAN_MIRROR overrides http://deb.debian.org/debian)
set -euo pipefail
work=$1
. "$(dirname "$0")/lib.sh"

rootfs=$work/rootfs
logged debootstrap debootstrap --variant=minbase --include=openjdk-17-jre-headless,libbpf1 \
  bookworm "$rootfs" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# Left out, as Debian's own images leave them out: the downloaded packages and package lists.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
# The PATH and CMD of Debian's images (an imported file system has no configuration).
tar -C "$rootfs" -c . | logged import e2e_podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["bash"]' - "$E2E_BASE"
e2e_podman tag "$E2E_BASE" "$E2E_BASE_SLIM"
rm -rf "$rootfs"

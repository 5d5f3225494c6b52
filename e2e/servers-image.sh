#!/bin/bash
# The real servers the profiles are proven on (exporter/src/test/java/.../deploy/ServersE2E.java):
# Debian's nginx, Redis, PostgreSQL, memcached, cron and rsyslog, with the clients that exercise
# them, in one bookworm rootfs made by debootstrap (no image registry), imported into the run's
# podman store as localhost/servers:e2e. The rootfs is kept in E2E_CACHE between runs on one
# machine (a few hundred MB; keyed by the package list), so only the first run downloads.
#   e2e/servers-image.sh WORK      (DEBIAN_MIRROR overrides http://deb.debian.org/debian)
set -euo pipefail
work=$1
. "$(dirname "$0")/lib.sh"

packages=nginx-light,redis-server,postgresql,memcached,cron,rsyslog,curl,netcat-openbsd,procps
cache=${E2E_CACHE:-/var/cache/capability-exporter-e2e}
tarball=$cache/servers-$(echo "$packages" | sha256sum | cut -c1-12).tar
mkdir -p "$cache"
if [ ! -s "$tarball" ]; then
  rootfs=$work/servers-rootfs
  logged servers-debootstrap debootstrap --variant=minbase --include="$packages" \
    bookworm "$rootfs" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
  rm -rf "$rootfs"
fi
logged servers-import e2e_podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["bash"]' "$tarball" "$E2E_SERVERS"

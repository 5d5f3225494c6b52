#!/bin/bash
# Installs the Debian packages make e2e needs, those missing, without starting their services:
# containerd's and docker.io's would start daemons of the host's (Docker's with a bridge and
# iptables rules), while the tests start their own and stop them. As make deps does for
# prometheus, /usr/sbin/policy-rc.d answers 101 ("not allowed") for the length of the install
# (one already there is left as it is); with systemd the units stay enabled for the next boot.
#   e2e/install.sh PACKAGE...
set -euo pipefail
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q 'ok installed' ||
    missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "missing: ${missing[*]} (install them with your package manager)" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "missing: ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]} (no service is started)"
if [ ! -e /usr/sbin/policy-rc.d ]; then
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  printf '#!/bin/sh\n# make e2e: no service starts while its packages install\nexit 101\n' \
    >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
fi
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"

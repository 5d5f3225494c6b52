#!/bin/sh
# Regenerates the syscall name tables from the kernel's UAPI headers (Debian: linux-libc-dev).
#   x86_64: asm/unistd_64.h; aarch64: asm-generic/unistd.h (arm64 uses the generic table).
set -eu
cd "$(dirname "$0")"
sed -n 's/^#define __NR_\([a-z0-9_]*\) \([0-9][0-9]*\)$/\2 \1/p' \
  /usr/include/x86_64-linux-gnu/asm/unistd_64.h | sort -n >x86_64.txt
sed -n -e 's/^#define __NR_\([a-z0-9_]*\) \([0-9][0-9]*\)$/\2 \1/p' \
  -e 's/^#define __NR3264_\([a-z0-9_]*\) \([0-9][0-9]*\)$/\2 \1/p' \
  /usr/include/asm-generic/unistd.h | sort -n | awk '!seen[$1]++' >aarch64.txt

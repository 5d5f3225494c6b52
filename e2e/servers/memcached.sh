#!/bin/sh
# memcached as Debian runs it: started as root, running as memcache.
set -e
case $1 in
  start) exec memcached -u memcache -l 127.0.0.1 -p 11211 -m 16 ;;
  probe)
    printf 'set e2e 0 0 5\r\nprobe\r\nget e2e\r\nquit\r\n' | nc -q 2 127.0.0.1 11211 |
      grep -q '^VALUE e2e'
    ;;
esac

#!/bin/sh
# cron running a job as another user (nobody) each minute; the probe waits for its mark. cron
# does not end on SIGTERM, least of all as pid 1: this shell stops it.
set -e
case $1 in
  start)
    echo '* * * * * nobody touch /tmp/cron-ran' >/etc/cron.d/e2e
    chmod 0644 /etc/cron.d/e2e
    cron -f &
    trap 'kill $!; wait $!; exit 0' TERM
    wait $!
    ;;
  probe) test -e /tmp/cron-ran ;;
esac

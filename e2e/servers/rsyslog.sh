#!/bin/sh
# rsyslog with Debian's configuration (its kernel log input included); a message logged is
# written to /var/log/syslog.
set -e
case $1 in
  start) exec rsyslogd -n -iNONE ;;
  probe)
    logger -p user.info e2e-probe
    sleep 1
    grep -q e2e-probe /var/log/syslog
    ;;
esac

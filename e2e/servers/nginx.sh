#!/bin/sh
# nginx as Debian's unit runs it: the master as root, workers as www-data; port 80.
set -e
case $1 in
  start) exec nginx -g 'daemon off; error_log stderr;' ;;
  probe) curl -sf http://127.0.0.1/ | grep -q 'Welcome to nginx' ;;
esac

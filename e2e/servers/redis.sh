#!/bin/sh
# Redis as its unit runs it, as user redis: its directories given to it, then the server.
set -e
case $1 in
  start)
    chown -R redis:redis /var/lib/redis /var/log/redis
    exec setpriv --reuid=redis --regid=redis --init-groups \
      redis-server /etc/redis/redis.conf --daemonize no --supervised no --logfile ''
    ;;
  probe) [ "$(redis-cli -h 127.0.0.1 set e2e probe)" = OK ] && [ "$(redis-cli -h 127.0.0.1 get e2e)" = probe ] ;;
esac

#!/bin/sh
# PostgreSQL as a container entrypoint starts it: a data directory given to user postgres,
# initdb, then the server as postgres, its socket where psql looks.
set -e
data=/var/lib/postgresql/e2e
case $1 in
  start)
    rm -rf "$data"
    install -d -o postgres -g postgres -m 0700 "$data"
    install -d -o postgres -g postgres -m 2775 /var/run/postgresql
    setpriv --reuid=postgres --regid=postgres --init-groups \
      /usr/lib/postgresql/15/bin/initdb -D "$data" >/dev/null
    exec setpriv --reuid=postgres --regid=postgres --init-groups \
      /usr/lib/postgresql/15/bin/postgres -D "$data" -k /var/run/postgresql
    ;;
  probe)
    HOME=/var/lib/postgresql setpriv --reuid=postgres --regid=postgres --init-groups \
      psql -h /var/run/postgresql -tAc 'select 40 + 2' | grep -qx 42
    ;;
esac

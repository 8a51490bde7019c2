#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on loopback for the exchange tests
# and print the SQLAlchemy URL to use. Sourced by .ci/run.
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
bin="/usr/lib/postgresql/$version/bin"
data=$(mktemp -d /tmp/xhht-pg.XXXXXX)
chown postgres:postgres "$data"
# A free port, so that a server left by an earlier run does not collide.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
runuser -u postgres -- "$bin/initdb" -D "$data" -A trust -U postgres >/dev/null
runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
  -o "-p $port -k $data -c listen_addresses=127.0.0.1" start >/dev/null
runuser -u postgres -- psql -h 127.0.0.1 -p $port -U postgres -q \
  -c "CREATE ROLE xhht LOGIN PASSWORD 'xhht'" -c "CREATE DATABASE xhht_test OWNER xhht"
echo "postgresql+psycopg://xhht:xhht@127.0.0.1:$port/xhht_test"

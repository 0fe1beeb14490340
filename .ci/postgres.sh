# Sourced by .ci/run: a throw-away PostgreSQL server for the desk's storage and browser tests.
# Installs the server when missing, initialises a cluster in a temporary folder, starts it on
# loopback on a free port (as the postgres user when run as root: postgres refuses root),
# exports GXREPORT_TEST_DATABASE_URL and stops it when the script exits.

pg_bin=""
for dir in "$(dirname "$(command -v initdb 2>/dev/null || echo /none/initdb)")" /usr/lib/postgresql/*/bin; do
  if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then pg_bin=$dir; break; fi
done
if [ -z "$pg_bin" ]; then
  echo "installing: postgresql"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

pg_dir=$(mktemp -d /tmp/gxreport-pg.XXXXXX)
pg_run() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  chown postgres "$pg_dir"
  pg_run() { runuser -u postgres -- "$@"; }
fi
pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_run "$pg_bin/initdb" -D "$pg_dir/data" -U gxreport --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pg_dir -c fsync=off" start >/dev/null
pg_stop() {
  pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap pg_stop EXIT
export GXREPORT_TEST_DATABASE_URL="postgresql://gxreport@127.0.0.1:$pg_port/postgres"
echo "PostgreSQL for the tests: $GXREPORT_TEST_DATABASE_URL"

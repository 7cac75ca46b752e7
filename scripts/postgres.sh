#!/usr/bin/env bash
# A local PostgreSQL for the tests: role dondoc (password dondoc, CREATEDB, REPLICATION: the read-replica
# tests copy the cluster with pg_basebackup and stream from it) and database dondoc on 127.0.0.1:5432. Uses a
# server that already answers with that role; otherwise installs the Debian package, starts its cluster and
# creates (or completes) the role and database. Idempotent and quiet; says why on failure.
set -euo pipefail

HOST=127.0.0.1
PORT=5432
ROLE=dondoc
PASSWORD=dondoc

fail() { echo "postgres.sh: $*" >&2; exit 1; }

answers() {
  PGPASSWORD=$PASSWORD PGCONNECT_TIMEOUT=3 psql -h "$HOST" -p "$PORT" -U "$ROLE" -d "$ROLE" -XAtqc "SELECT 1" \
    >/dev/null 2>&1
}

# the role may stream the WAL (a server set up before it was asked for gets it below)
replicates() {
  [ "$(PGPASSWORD=$PASSWORD PGCONNECT_TIMEOUT=3 psql -h "$HOST" -p "$PORT" -U "$ROLE" -d "$ROLE" -XAtqc \
    "SELECT rolreplication FROM pg_roles WHERE rolname = current_user" 2>/dev/null)" = t ]
}

if command -v psql >/dev/null && answers && replicates; then
  exit 0
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || ! command -v pg_ctlcluster >/dev/null; then
  echo "postgres.sh: installing postgresql" >&2
  "${sudo[@]}" apt-get update -qq || fail "apt-get update failed"
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends postgresql >/dev/null \
    || fail "apt-get install postgresql failed"
fi

# the newest cluster on the port; Debian's package creates "main" for its version
cluster=$(pg_lsclusters --no-header 2>/dev/null | awk -v port="$PORT" '$3 == port {print $1, $2}' | sort -V | tail -n 1)
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || fail "no PostgreSQL server found under /usr/lib/postgresql"
  "${sudo[@]}" pg_createcluster --port "$PORT" "$version" main >/dev/null || fail "pg_createcluster $version main failed"
  cluster="$version main"
fi
read -r version name <<<"$cluster"
if ! pg_lsclusters --no-header | awk -v v="$version" -v n="$name" '$1 == v && $2 == n {print $4}' | grep -qx online; then
  "${sudo[@]}" pg_ctlcluster "$version" "$name" start \
    || fail "pg_ctlcluster $version $name start failed (see /var/log/postgresql/postgresql-$version-$name.log)"
fi

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
for _ in $(seq 1 20); do
  as_postgres psql -p "$PORT" -XAtqc "SELECT 1" >/dev/null 2>&1 && break
  sleep 0.5
done
as_postgres psql -p "$PORT" -XAtqc "SELECT 1" >/dev/null 2>&1 || fail "the $version/$name cluster does not answer"

as_postgres psql -p "$PORT" -XAtq -v ON_ERROR_STOP=1 >/dev/null <<SQL || fail "could not create role or database $ROLE"
SELECT 'CREATE ROLE $ROLE LOGIN CREATEDB' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') \gexec
ALTER ROLE $ROLE LOGIN CREATEDB REPLICATION PASSWORD '$PASSWORD';
SELECT 'CREATE DATABASE $ROLE OWNER $ROLE' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$ROLE') \gexec
SQL

answers || fail "PostgreSQL is running but $ROLE@$HOST:$PORT does not accept the password (check pg_hba.conf)"
# Debian's pg_hba.conf lets the replication protocol in from 127.0.0.1 with a password; the tests' replica
# connects so
PGPASSWORD=$PASSWORD PGCONNECT_TIMEOUT=3 \
  psql "host=$HOST port=$PORT user=$ROLE dbname=$ROLE replication=database" -XAtqc "IDENTIFY_SYSTEM" \
  >/dev/null 2>&1 \
  || fail "$ROLE@$HOST:$PORT may not replicate: pg_hba.conf needs 'host replication $ROLE $HOST/32 scram-sha-256'"

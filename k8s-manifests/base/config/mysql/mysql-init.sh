#!/bin/bash
# Init container of every MySQL server (the NDB SQL nodes and the standalone server). On an empty volume
# it initialises the data directory; at every start it brings the server's own accounts in line with
# the db-admin Secret, so changing the Secret (which restarts the pods) rotates their passwords:
#   root@localhost         socket only; nothing logs in as root over the network
#   <admin>@'%'            the account the schema Job logs in with: ALL ON *.* WITH GRANT OPTION, TLS only
#   healthcheck@localhost  no privileges, for the probes; its random password stays on the volume
# The server runs here without NDB and without networking, so these accounts stay local to it.
set -euo pipefail
: "${MYSQL_DEFAULTS_FILE:?}" "${ADMIN_USERNAME:?}" "${ADMIN_PASSWORD:?}" "${ROOT_PASSWORD:?}"

volume=/var/lib/mysql
datadir=$volume/data
marker=$volume/.initialised
healthcheck_cnf=$volume/healthcheck.cnf
run=/var/run/mysqld

# A SQL string literal: backslashes and single quotes escaped.
sql_string() {
  local s=${1//\\/\\\\}
  printf "'%s'" "${s//\'/\'\'}"
}

if [[ ! -f $marker ]]; then
  rm -rf "$datadir"   # what an interrupted first start may have left
  echo "initialising $datadir"
  mysqld --defaults-file="$MYSQL_DEFAULTS_FILE" --initialize-insecure
fi

if [[ -f $healthcheck_cnf ]]; then
  healthcheck_password=$(awk -F= '$1 == "password" { print $2 }' "$healthcheck_cnf")
else
  healthcheck_password=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
fi

umask 077
admin="$(sql_string "$ADMIN_USERNAME")@'%'"
# Run by the server itself at start-up, before it takes connections: no login needed, and no password
# on a command line. The health-check account comes last: once it can log in, everything before it ran.
cat > "$run/accounts.sql" <<SQL
CREATE USER IF NOT EXISTS ${admin} IDENTIFIED BY $(sql_string "$ADMIN_PASSWORD") REQUIRE SSL;
ALTER USER ${admin} IDENTIFIED BY $(sql_string "$ADMIN_PASSWORD") REQUIRE SSL;
GRANT ALL PRIVILEGES ON *.* TO ${admin} WITH GRANT OPTION;
ALTER USER 'root'@'localhost' IDENTIFIED BY $(sql_string "$ROOT_PASSWORD");
CREATE USER IF NOT EXISTS 'healthcheck'@'localhost' IDENTIFIED BY '${healthcheck_password}';
ALTER USER 'healthcheck'@'localhost' IDENTIFIED BY '${healthcheck_password}';
SQL
cat > "$run/healthcheck-init.cnf" <<CNF
[client]
user=healthcheck
password=${healthcheck_password}
socket=${run}/init.sock
CNF

mysqld --defaults-file="$MYSQL_DEFAULTS_FILE" --skip-networking --socket="$run/init.sock" \
  --pid-file="$run/init.pid" --init-file="$run/accounts.sql" &
server=$!
ready=0
for _ in $(seq 1 180); do
  if mysql --defaults-extra-file="$run/healthcheck-init.cnf" -NBe "SELECT 1" >/dev/null 2>&1; then
    ready=1
    break
  fi
  if ! kill -0 "$server" 2>/dev/null; then
    break
  fi
  sleep 1
done
rm -f "$run/accounts.sql" "$run/healthcheck-init.cnf"
if (( ! ready )); then
  echo "the accounts were not applied (see the server's messages above)" >&2
  kill -TERM "$server" 2>/dev/null || true
  exit 1
fi
# SIGTERM is mysqld's clean shutdown.
kill -TERM "$server"
wait "$server" || true

cat > "$healthcheck_cnf" <<CNF
[client]
user=healthcheck
password=${healthcheck_password}
socket=${run}/mysqld.sock
CNF
touch "$marker"
echo "accounts of this server in line with the db-admin Secret"

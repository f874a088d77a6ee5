#!/bin/bash
# The schema Job: creates what sqlgate needs in its databases. Idempotent, so it can run again at any
# time; passwords come from the Secrets, so running it after a Secret changed rotates them.
#   NDB cluster, through its first SQL node: database main_db and its NDB tables (main-db.sql), and the
#     proxy's audit ledger, sqlgate_audit (sqlgate-audit.sql).
#   Every SQL node: the application account (SELECT, INSERT, UPDATE, DELETE on main_db.*; SELECT and INSERT
#     only on sqlgate_audit.*, so that it can append to the ledger and never change it), the monitoring
#     account (login only: the proxy runs SELECT 1 and SHOW STATUS), the benchmark account (ALL on sbtest.*)
#     and database sbtest. Accounts are per server: each SQL node keeps its own on its persistent volume,
#     so every node is given them here, explicitly, rather than through NDB_STORED_USER distribution.
#   Standalone server: the benchmark account and database sbtest.
#   The first SQL node, as the administrator (the application account cannot delete): the ledger's retention,
#     an event that deletes the entries older than AUDIT_RETENTION_DAYS (0: none is deleted).
set -euo pipefail
: "${SQL_NODES:?}" "${STANDALONE_HOST:?}" "${WAIT_SECONDS:?}" "${AUDIT_RETENTION_DAYS:?}"
if ! [[ $AUDIT_RETENTION_DAYS =~ ^[0-9]+$ ]]; then
  echo "AUDIT_RETENTION_DAYS must be a whole number of days (0 keeps every entry), not '$AUDIT_RETENTION_DAYS'" >&2
  exit 2
fi
: "${ADMIN_USERNAME:?}" "${ADMIN_PASSWORD:?}"
: "${APP_USERNAME:?}" "${APP_PASSWORD:?}" "${MONITOR_USERNAME:?}" "${MONITOR_PASSWORD:?}"
: "${BENCH_USERNAME:?}" "${BENCH_NDB_PASSWORD:?}" "${BENCH_STANDALONE_PASSWORD:?}"

deadline=$(( SECONDS + WAIT_SECONDS ))
schema_sql=${SCHEMA_SQL:-/etc/schema/main-db.sql}
audit_sql=${AUDIT_SQL:-$(dirname "$schema_sql")/sqlgate-audit.sql}
read -r -a sql_nodes <<< "$SQL_NODES"
primary=${sql_nodes[0]}
expected_tables=$(grep -c '^CREATE TABLE' "$schema_sql")

# A SQL string literal: backslashes and single quotes escaped.
sql_string() {
  local s=${1//\\/\\\\}
  printf "'%s'" "${s//\'/\'\'}"
}
# An option-file value: double-quoted, backslashes and double quotes escaped.
cnf_value() {
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

umask 077
admin_cnf=$(mktemp /tmp/admin.XXXXXX.cnf)
cat > "$admin_cnf" <<CNF
[client]
user=$(cnf_value "$ADMIN_USERNAME")
password=$(cnf_value "$ADMIN_PASSWORD")
port=3306
ssl-mode=REQUIRED
connect-timeout=5
CNF

sql() {
  local host=$1
  shift
  mysql --defaults-extra-file="$admin_cnf" --host="$host" "$@"
}

# wait_until DESCRIPTION COMMAND...: retries COMMAND every 5 s until it succeeds or the deadline passes.
wait_until() {
  local what=$1
  shift
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS >= deadline )); then
      echo "gave up waiting for ${what} after ${WAIT_SECONDS} s" >&2
      "$@" || true
      return 1
    fi
    sleep 5
  done
  echo "ready: ${what}"
}

answers() {
  sql "$1" -NBe "SELECT 1"
}

# query_value HOST QUERY: the one value a query answers; 0 when it answers nothing.
query_value() {
  local answer
  answer=$(sql "$1" -NBe "$2")
  echo "${answer:-0}"
}

# status_value HOST VARIABLE: a global status value; 0 when the server has no such variable (yet).
status_value() {
  local answer
  answer=$(sql "$1" -NBe "SHOW GLOBAL STATUS LIKE '$2'" | awk '{ print $2 }')
  echo "${answer:-0}"
}

# ndb_ready HOST: the SQL node is attached to a started data node and distributes schema changes, so
# that DDL sent through it reaches every SQL node. A server whose NDB setup is still running sees data
# nodes and takes DDL before it can distribute it. Ready means: a started data node, its own node id,
# the distribution's table mysql.ndb_schema, and its NDB binlog thread (which distributes schema changes,
# binary log or not) waiting for events, the state the MySQL NDB Operator waits for.
ndb_ready() {
  (( $(status_value "$1" Ndb_number_of_ready_data_nodes) >= 1 )) || return 1
  (( $(status_value "$1" Ndb_cluster_node_id) > 0 )) || return 1
  (( $(query_value "$1" "SELECT COUNT(*) FROM information_schema.TABLES
    WHERE TABLE_SCHEMA = 'mysql' AND TABLE_NAME = 'ndb_schema'") == 1 )) || return 1
  (( $(query_value "$1" "SELECT COUNT(*) FROM information_schema.PROCESSLIST
    WHERE STATE = 'Waiting for event from ndbcluster'") >= 1 ))
}

ndb_tables_visible() {
  local count
  count=$(sql "$1" -NBe "SELECT COUNT(*) FROM information_schema.TABLES
    WHERE TABLE_SCHEMA = 'main_db' AND ENGINE = 'ndbcluster'")
  (( count == expected_tables ))
}

bench_account_sql() {
  local password=$1 user
  user="$(sql_string "$BENCH_USERNAME")@'%'"
  cat <<SQL
CREATE DATABASE IF NOT EXISTS sbtest;
CREATE USER IF NOT EXISTS ${user} IDENTIFIED BY $(sql_string "$password");
ALTER USER ${user} IDENTIFIED BY $(sql_string "$password");
GRANT ALL PRIVILEGES ON sbtest.* TO ${user};
SQL
}

# The ledger's retention: an event that deletes the entries older than $1 days, 5000 at a time every minute (no
# transaction large enough to strain NDB), or none for 0. The same statement as bin/local-cluster's.
audit_retention_sql() {
  echo "DROP EVENT IF EXISTS sqlgate_audit.retention;"
  if [ "$1" -gt 0 ]; then
    echo "CREATE EVENT sqlgate_audit.retention ON SCHEDULE EVERY 1 MINUTE COMMENT 'sqlgate: audit entries are kept $1 days'" \
      "DO DELETE FROM sqlgate_audit.write_entry WHERE recorded_at < UTC_TIMESTAMP(6) - INTERVAL $1 DAY ORDER BY recorded_at LIMIT 5000;"
  fi
}

sqlgate_accounts_sql() {
  local app monitor
  app="$(sql_string "$APP_USERNAME")@'%'"
  monitor="$(sql_string "$MONITOR_USERNAME")@'%'"
  cat <<SQL
CREATE USER IF NOT EXISTS ${app} IDENTIFIED BY $(sql_string "$APP_PASSWORD") REQUIRE SSL;
ALTER USER ${app} IDENTIFIED BY $(sql_string "$APP_PASSWORD") REQUIRE SSL;
GRANT SELECT, INSERT, UPDATE, DELETE ON main_db.* TO ${app};
GRANT SELECT, INSERT ON sqlgate_audit.* TO ${app};
CREATE USER IF NOT EXISTS ${monitor} IDENTIFIED BY $(sql_string "$MONITOR_PASSWORD") REQUIRE SSL;
ALTER USER ${monitor} IDENTIFIED BY $(sql_string "$MONITOR_PASSWORD") REQUIRE SSL;
SQL
}

for host in "${sql_nodes[@]}"; do
  wait_until "SQL node ${host} attached to NDB and distributing schema changes" ndb_ready "$host"
done
wait_until "standalone server ${STANDALONE_HOST}" answers "$STANDALONE_HOST"

echo "creating main_db and sqlgate_audit through ${primary}"
sql "$primary" < "$schema_sql"
sql "$primary" < "$audit_sql"
echo "audit ledger retention on ${primary}: ${AUDIT_RETENTION_DAYS} days (0: kept)"
audit_retention_sql "$AUDIT_RETENTION_DAYS" | sql "$primary"

for host in "${sql_nodes[@]}"; do
  wait_until "${expected_tables} NDB tables of main_db on ${host}" ndb_tables_visible "$host"
  echo "accounts on ${host}"
  { sqlgate_accounts_sql; bench_account_sql "$BENCH_NDB_PASSWORD"; } | sql "$host"
done

echo "accounts on ${STANDALONE_HOST}"
bench_account_sql "$BENCH_STANDALONE_PASSWORD" | sql "$STANDALONE_HOST"

rm -f "$admin_cnf"
echo "schema complete: main_db on ${#sql_nodes[@]} SQL node(s), sbtest on the cluster and ${STANDALONE_HOST}"

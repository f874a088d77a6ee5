#!/bin/bash
# Init container of the benchmark Job: waits, at most WAIT_SECONDS, until the benchmark account logs in
# on every target (the schema Job creates it), so that the runner starts against ready servers.
set -euo pipefail
: "${NDB_HOSTS:?}" "${STANDALONE_HOSTS:?}" "${WAIT_SECONDS:?}" "${BENCH_USERNAME:?}"
: "${NDB_BENCH_PASSWORD:?}" "${STANDALONE_BENCH_PASSWORD:?}"
deadline=$(( SECONDS + WAIT_SECONDS ))

cnf_value() {
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}
umask 077
client_cnf() {  # client_cnf PASSWORD -> path of an option file for the benchmark account
  local file
  file=$(mktemp /tmp/bench.XXXXXX.cnf)
  printf '[client]\nuser=%s\npassword=%s\nport=3306\nconnect-timeout=5\n' \
    "$(cnf_value "$BENCH_USERNAME")" "$(cnf_value "$1")" > "$file"
  echo "$file"
}
ndb_cnf=$(client_cnf "$NDB_BENCH_PASSWORD")
standalone_cnf=$(client_cnf "$STANDALONE_BENCH_PASSWORD")

wait_for() {  # wait_for OPTION_FILE HOST
  until mysql --defaults-extra-file="$1" --host="$2" -NBe "SELECT 1" sbtest >/dev/null 2>&1; do
    if (( SECONDS >= deadline )); then
      echo "gave up waiting for ${2} after ${WAIT_SECONDS} s" >&2
      mysql --defaults-extra-file="$1" --host="$2" -NBe "SELECT 1" sbtest || true
      exit 1
    fi
    sleep 5
  done
  echo "ready: ${2}"
}

for host in $STANDALONE_HOSTS; do wait_for "$standalone_cnf" "$host"; done
for host in $NDB_HOSTS; do wait_for "$ndb_cnf" "$host"; done
rm -f "$ndb_cnf" "$standalone_cnf"

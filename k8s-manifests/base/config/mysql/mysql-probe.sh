#!/bin/bash
# Probes of the MySQL servers, as healthcheck@localhost (no privileges) over the local socket.
#   mysql-probe.sh live    the server answers (mysqladmin ping succeeds even when a login is refused)
#   mysql-probe.sh ready   it accepts logins and, on an SQL node (NDB_SQL_NODE=1), sees a started data node
cnf=/var/lib/mysql/healthcheck.cnf
case "${1:-ready}" in
  live)
    exec mysqladmin --defaults-extra-file="$cnf" --connect-timeout=5 ping
    ;;
  ready)
    mysql --defaults-extra-file="$cnf" --connect-timeout=5 -NBe "SELECT 1" >/dev/null || exit 1
    if [[ ${NDB_SQL_NODE:-0} == 1 ]]; then
      ready=$(mysql --defaults-extra-file="$cnf" --connect-timeout=5 \
        -NBe "SHOW GLOBAL STATUS LIKE 'Ndb_number_of_ready_data_nodes'" | awk '{ print $2 }')
      if (( ${ready:-0} < 1 )); then
        echo "no NDB data node ready"
        exit 1
      fi
    fi
    ;;
  *)
    echo "usage: $0 live|ready" >&2
    exit 2
    ;;
esac

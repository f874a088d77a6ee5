#!/bin/bash
# SQL node: mysqld attached to the cluster in its own node-id slot. Tables created without an engine
# become NDB tables, so nothing lands by mistake in a local InnoDB table that other SQL nodes cannot see.
set -euo pipefail
# shellcheck source=ndb-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/ndb-common.sh"
wait_for_own_dns ndb-sql
exec mysqld --defaults-file=/etc/mysql-server/ndb-sql.cnf \
  --ndbcluster --ndb-connectstring="$NDB_CONNECTSTRING" --ndb-nodeid="$(ndb_node_id)" \
  --default-storage-engine=NDBCLUSTER

#!/bin/bash
# Data node (multi-threaded ndbmtd). Its file system lives on the pod's persistent volume; a first start
# on an empty volume is an initial start, every later one recovers from it.
set -euo pipefail
# shellcheck source=ndb-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/ndb-common.sh"
node_id=$(ndb_node_id)
mkdir -p /var/lib/ndb/data
wait_for_own_dns ndb-data
echo "starting NDB data node ${node_id}"
exec ndbmtd --no-defaults --ndb-connectstring="$NDB_CONNECTSTRING" --ndb-nodeid="$node_id" \
  --connect-retries=60 --connect-retry-delay=5 --nodaemon

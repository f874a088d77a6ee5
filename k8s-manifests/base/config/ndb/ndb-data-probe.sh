#!/bin/bash
# Startup and readiness probe of a data node: succeeds once the management server reports it started.
# shellcheck source=ndb-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/ndb-common.sh"
node_id=$(ndb_node_id)
status=$(ndb_mgm --no-defaults --ndb-connectstring="$NDB_CONNECTSTRING" \
  --connect-retries=1 --connect-retry-delay=1 -e "${node_id} STATUS" 2>&1)
if [[ $status == *"Node ${node_id}: started"* ]]; then
  exit 0
fi
echo "$status"
exit 1

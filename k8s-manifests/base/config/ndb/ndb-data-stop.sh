#!/bin/bash
# preStop of a data node: a graceful node stop through the management server. NDB refuses it when it
# would leave a node group without a live replica; the pod then stops on SIGTERM as usual.
# shellcheck source=ndb-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/ndb-common.sh"
ndb_mgm --no-defaults --ndb-connectstring="$NDB_CONNECTSTRING" \
  --connect-retries=1 --connect-retry-delay=1 -e "$(ndb_node_id) STOP" || true

#!/bin/bash
# Management node: reads config.ini afresh at every start (no configuration cache).
set -euo pipefail
# shellcheck source=ndb-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/ndb-common.sh"
mkdir -p /var/lib/ndb
wait_for_own_dns ndb-mgmd
exec ndb_mgmd --no-defaults --ndb-nodeid="$(ndb_node_id)" \
  --config-file=/etc/ndb/config.ini --configdir=/var/lib/ndb \
  --initial --config-cache=FALSE --nodaemon

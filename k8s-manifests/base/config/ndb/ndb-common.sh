# shellcheck shell=bash
# Shared by the NDB scripts (sourced). Every NDB pod takes its node id from its StatefulSet ordinal.

# ndb_node_id: NDB_NODE_ID_BASE plus this pod's ordinal (ndb-data-1 with base 2 -> 3); see config.ini.
ndb_node_id() {
  echo $(( NDB_NODE_ID_BASE + ${HOSTNAME##*-} ))
}

# wait_for_own_dns SERVICE: waits, at most two minutes, until <pod>.<SERVICE> resolves to this pod's
# address. The management server hands out a node id only to a node connecting from the address its
# HostName resolves to, and the headless Service publishes a new pod's address a moment after it starts.
wait_for_own_dns() {
  local name="${HOSTNAME}.$1" own resolved
  own=$(getent hosts "$HOSTNAME" | awk '{ print $1; exit }')
  for _ in $(seq 1 120); do
    resolved=$(getent hosts "$name" | awk '{ print $1 }' | tr '\n' ' ')
    if [[ -n $own && " $resolved" == *" $own "* ]]; then
      return 0
    fi
    sleep 1
  done
  echo "warning: $name does not resolve to $own after 120 s; starting anyway" >&2
}

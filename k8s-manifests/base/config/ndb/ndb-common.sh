# shellcheck shell=bash
# Shared by the NDB scripts (sourced). Every NDB pod takes its node id from its StatefulSet ordinal.

# ndb_node_id: NDB_NODE_ID_BASE plus this pod's ordinal (ndb-data-1 with base 2 -> 3); see config.ini.
ndb_node_id() {
  echo $(( NDB_NODE_ID_BASE + ${HOSTNAME##*-} ))
}

# addresses_of NAME: the addresses NAME resolves to, separated by spaces; nothing while it does not
# resolve. getent exits 2 for a name it cannot find, which under the callers' `set -e` and `pipefail`
# would end the script at the first lookup instead of letting it wait.
addresses_of() {
  local entries
  entries=$(getent hosts "$1") || return 0
  awk '{ print $1 }' <<< "$entries" | tr '\n' ' '
}

# wait_for_own_dns SERVICE: waits, at most two minutes, until <pod>.<SERVICE> resolves to this pod's
# address. The management server hands out a node id only to a node connecting from the address its
# HostName resolves to, and the headless Service publishes a new pod's address a moment after it starts
# (until then the name is unknown, or still names the address of the pod it replaces).
wait_for_own_dns() {
  local name="${HOSTNAME}.$1" own="" resolved
  for _ in $(seq 1 120); do
    own=$(addresses_of "$HOSTNAME")
    own=${own%% *}
    resolved=$(addresses_of "$name")
    if [[ -n $own && " $resolved" == *" $own "* ]]; then
      return 0
    fi
    sleep 1
  done
  echo "warning: $name does not resolve to ${own:-the address of this pod} after 120 s; starting anyway" >&2
}

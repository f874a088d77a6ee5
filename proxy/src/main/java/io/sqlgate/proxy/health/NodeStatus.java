package io.sqlgate.proxy.health;

import io.micronaut.core.annotation.Nullable;

/**
 * What a node said of its cluster in one answered ping: Galera's {@code wsrep_*} status, NDB's ready data nodes,
 * or neither (a standalone server). Immutable; parsed from {@code SHOW GLOBAL STATUS}.
 *
 * @param galera the node's Galera status, or null when it is no Galera node
 * @param ndbReadyDataNodes {@code Ndb_number_of_ready_data_nodes}, or -1 when it is no NDB SQL node
 */
public record NodeStatus(@Nullable Galera galera, long ndbReadyDataNodes) {

    public static final NodeStatus STANDALONE = new NodeStatus(null, -1);

    /**
     * @param ready        {@code wsrep_ready}: the node accepts queries
     * @param state        {@code wsrep_local_state_comment}: Synced, Donor/Desynced, Joining, Joined, ...
     * @param component    {@code wsrep_cluster_status}: Primary, or non-Primary in a partition's minority
     * @param clusterUuid  {@code wsrep_cluster_state_uuid}: the history the node belongs to
     * @param localIndex   {@code wsrep_local_index}: the node's place in the current membership, the same for
     *                     every observer of one membership
     * @param receiveQueue {@code wsrep_local_recv_queue}: write sets received and not yet applied
     */
    public record Galera(boolean ready, String state, String component, String clusterUuid, long localIndex, long receiveQueue) {

        /**
         * Why the node must not serve, or null when it may: ready, in the primary component, and Synced, a donor,
         * or {@link #joined() Joined}.
         */
        @Nullable
        public String unfit() {
            if (!ready) {
                return "galera: wsrep_ready=OFF, state " + state;
            }
            if (!"Primary".equalsIgnoreCase(component)) {
                return "galera: outside the primary component (" + component + ")";
            }
            if (!"Synced".equalsIgnoreCase(state) && !donor() && !joined()) {
                return "galera: state " + state;
            }
            return null;
        }

        /** A donor to a joining node: in the cluster and up to date, but busy with the transfer. */
        public boolean donor() {
            return state != null && state.toLowerCase(java.util.Locale.ROOT).startsWith("donor");
        }

        /**
         * Joined: the node holds the cluster's state and applies the write sets it queued meanwhile, on its way to
         * Synced. A donor passes through it when its transfer ends, a joiner after its transfer.
         */
        public boolean joined() {
            return "Joined".equalsIgnoreCase(state);
        }
    }

    /** Reads the answer of {@link #QUERY}: names in lower case, values as given. */
    public static NodeStatus parse(java.util.Map<String, String> status) {
        Galera galera = null;
        if (status.containsKey("wsrep_ready")) {
            galera = new Galera("ON".equalsIgnoreCase(status.get("wsrep_ready")), status.getOrDefault("wsrep_local_state_comment", "unknown"),
                    status.getOrDefault("wsrep_cluster_status", "unknown"), status.getOrDefault("wsrep_cluster_state_uuid", ""),
                    number(status.get("wsrep_local_index"), Long.MAX_VALUE), number(status.get("wsrep_local_recv_queue"), 0));
        }
        return new NodeStatus(galera, number(status.get("ndb_number_of_ready_data_nodes"), -1));
    }

    public static final String QUERY = "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_local_state_comment',"
            + " 'wsrep_cluster_status', 'wsrep_cluster_state_uuid', 'wsrep_local_index', 'wsrep_local_recv_queue',"
            + " 'Ndb_number_of_ready_data_nodes')";

    private static long number(String value, long otherwise) {
        try {
            return value == null ? otherwise : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}

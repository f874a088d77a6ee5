package io.sqlgate.proxy.health;

import io.micronaut.core.annotation.Nullable;

/**
 * What the monitor knows of one node at one moment. Immutable.
 *
 * @param writable      whether the configuration lets the node be the writer
 * @param checked       false until the node has an outcome: up, out for a failure, or answering without its
 *                      application pool connecting for {@code failureThreshold} pings
 * @param up            true when the node may serve
 * @param readsPaused   true when it is up but serves no reads chosen by strategy: too far behind, or a Galera donor
 * @param latencyMicros smoothed ping latency (EWMA), or -1 before the first answer
 * @param reason        why the node is out, or what it last reported; for people, not for code
 * @param clusterUuid   the Galera cluster it belongs to, or null (no Galera node, or not known yet)
 * @param localIndex    its Galera {@code wsrep_local_index}, or {@code Long.MAX_VALUE} when it has none
 */
public record NodeState(String name, boolean writable, boolean checked, boolean up, boolean readsPaused, double latencyMicros,
                        String reason, @Nullable String clusterUuid, long localIndex) {

    public static NodeState unknown(String name, boolean writable) {
        return new NodeState(name, writable, false, false, false, -1, "not checked yet", null, Long.MAX_VALUE);
    }

    /** The same node taken out, for the given reason. */
    public NodeState out(String why) {
        return new NodeState(name, writable, checked, false, false, latencyMicros, why, clusterUuid, localIndex);
    }
}

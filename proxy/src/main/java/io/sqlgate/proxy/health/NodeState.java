package io.sqlgate.proxy.health;

import io.sqlgate.proxy.nodes.NodeRole;

/**
 * What the monitor knows of one node at one moment. Immutable.
 *
 * @param up             true when the node may be used
 * @param latencyMicros  smoothed ping latency (EWMA), or -1 before the first answer
 * @param reason         why the node is down, or what it last reported; for people, not for code
 */
public record NodeState(String name, NodeRole role, boolean up, double latencyMicros, String reason) {

    public static NodeState unknown(String name, NodeRole role) {
        return new NodeState(name, role, false, -1, "not checked yet");
    }

    public boolean isPrimary() {
        return role == NodeRole.PRIMARY;
    }
}

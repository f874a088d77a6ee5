package io.sqlgate.proxy.health;

import io.sqlgate.proxy.nodes.NodeRole;

/**
 * The state machine of one node's health, fed by the monitor's pings. Not thread-safe: one monitor thread
 * owns each instance and publishes the immutable {@link NodeState} it produces.
 * <ul>
 *   <li>an answer that passes the cluster checks brings the node up and updates its smoothed latency;</li>
 *   <li>a connection that cannot be made, a request that could not reach the node, or a node that says it is
 *       out of sync, takes it down at once;</li>
 *   <li>other failures (a timed-out ping, a ping's connection broken by it, an error) take it down after
 *       {@code failureThreshold} in a row.</li>
 * </ul>
 */
public final class NodeHealth {
    private final String name;
    private final NodeRole role;
    private final int failureThreshold;
    private final double smoothing;

    private boolean up;
    private double latencyMicros = -1;
    private int consecutiveFailures;
    private String reason = "not checked yet";

    public NodeHealth(String name, NodeRole role, int failureThreshold, double smoothing) {
        this.name = name;
        this.role = role;
        this.failureThreshold = failureThreshold;
        this.smoothing = smoothing;
    }

    public NodeState answered(double pingMicros) {
        latencyMicros = latencyMicros < 0 ? pingMicros : smoothing * pingMicros + (1 - smoothing) * latencyMicros;
        consecutiveFailures = 0;
        up = true;
        reason = "answering";
        return state();
    }

    /** The node answered but its cluster says it must not serve, e.g. Galera not Synced. */
    public NodeState outOfSync(String why) {
        consecutiveFailures = 0;
        up = false;
        reason = why;
        return state();
    }

    public NodeState connectionFailed(String why) {
        consecutiveFailures++;
        up = false;
        reason = "connection failed: " + why;
        return state();
    }

    public NodeState pingFailed(String why) {
        consecutiveFailures++;
        if (consecutiveFailures >= failureThreshold) {
            up = false;
        }
        reason = "ping failed (" + consecutiveFailures + " in a row): " + why;
        return state();
    }

    public NodeState state() {
        return new NodeState(name, role, up, latencyMicros, reason);
    }
}

package io.sqlgate.proxy.health;

import io.sqlgate.proxy.nodes.DatabaseErrors.Kind;

/**
 * The state machine of one node's health: pure, fed with what the monitor and requests observed and the time
 * they observed it (a monotonic clock in nanoseconds). Not thread-safe: the node's monitor thread owns it.
 * <ul>
 *   <li>An answer whose cluster status is fit brings a node up, once its application pool holds a connection:
 *       at once the first time, after {@code recoveryThreshold} answers in a row once it was out.</li>
 *   <li>A connection that cannot be made, or a node that says it cannot serve (Galera not ready, joining,
 *       outside the primary component; NDB without a ready data node), takes it out at once.</li>
 *   <li>Other failures (a ping timed out, a connection broken) take it out after {@code failureThreshold} in a
 *       row: a Galera node stalls for seconds while its cluster evicts a dead peer, and is not out for it.</li>
 *   <li>A request's report counts like a ping's failure, unless the request began before the node was last
 *       brought back: a late report of an older failure says nothing of the node now.</li>
 *   <li>A Galera node whose receive queue is over {@code maxReceiveQueue}, that is a donor to a joining node
 *       ({@code Donor/Desynced}), or that is {@code Joined} (a donor passes through it, for a moment, when its
 *       transfer ends), has its reads paused: it is up (it may stay the writer, and direct reads go to the writer)
 *       but read strategies do not choose it until it has caught up, or the transfer has ended. A node that is out
 *       is not brought back while it is {@code Joined}.</li>
 * </ul>
 */
public final class NodeHealth {
    private final String name;
    private final boolean writable;
    private final int failureThreshold;
    private final int recoveryThreshold;
    private final long maxReceiveQueue;
    private final double smoothing;

    /** Answered pings without a connection in the node's pool that are an outcome: 10 s at the default interval. */
    static final int POOL_WAIT_PINGS = 10;
    private boolean checked;
    private int poolWaits;
    private boolean up;
    private boolean everUp;
    private boolean readsPaused;
    private double latencyMicros = -1;
    private int failures;
    private int successes;
    private long broughtBackAt;
    private String reason = "not checked yet";
    private String clusterUuid;
    private long localIndex = Long.MAX_VALUE;

    public NodeHealth(String name, boolean writable, int failureThreshold, int recoveryThreshold, long maxReceiveQueue, double smoothing) {
        this.name = name;
        this.writable = writable;
        this.failureThreshold = failureThreshold;
        this.recoveryThreshold = recoveryThreshold;
        this.maxReceiveQueue = maxReceiveQueue;
        this.smoothing = smoothing;
    }

    /**
     * A ping answered in {@code pingMicros} with this cluster status.
     *
     * @param poolConnected whether the node's application pool holds a connection: a node is not brought up
     *                      before requests can reach it (a pool reconnects with a growing back-off after a restart)
     */
    public NodeState answered(long now, double pingMicros, NodeStatus status, boolean poolConnected) {
        latencyMicros = latencyMicros < 0 ? pingMicros : smoothing * pingMicros + (1 - smoothing) * latencyMicros;
        NodeStatus.Galera galera = status.galera();
        clusterUuid = galera == null ? null : galera.clusterUuid();
        localIndex = galera == null ? Long.MAX_VALUE : galera.localIndex();
        String unfit = galera != null ? galera.unfit()
                : status.ndbReadyDataNodes() == 0 ? "ndb: no data node ready" : null;
        if (unfit != null) {
            checked = true;
            takeOut(unfit);
            return state();
        }
        if (galera != null && galera.joined() && !up) {
            // a joiner still applying its backlog: an outcome, but not an answer that counts towards serving
            checked = true;
            successes = 0;
            reason = "galera: Joined, catching up with the cluster before it serves";
            return state();
        }
        failures = 0;
        successes++;
        if (!up && poolConnected && (!everUp || successes >= recoveryThreshold)) {
            up = true;
            everUp = true;
            broughtBackAt = now;
        }
        // Waiting for its pool is no outcome yet, for a while: the writer is not elected elsewhere meanwhile. A tier
        // starting on a loaded machine takes seconds to open its pools, so the while is longer than the failures
        // that take a node out.
        poolWaits = poolConnected ? 0 : poolWaits + 1;
        checked = checked || up || poolWaits >= POOL_WAIT_PINGS;
        boolean behind = galera != null && galera.receiveQueue() > maxReceiveQueue;
        boolean donor = galera != null && galera.donor();
        boolean joined = galera != null && galera.joined();
        readsPaused = up && (behind || donor || joined);
        if (!up) {
            reason = !poolConnected ? "answering; its application pool has no connection yet"
                    : "answering again, " + successes + " of " + recoveryThreshold + " good pings to come back";
        } else if (donor) {
            reason = "galera: a donor to a joining node (" + galera.state() + "), reads paused";
        } else if (joined) {
            reason = "galera: Joined, applying what it queued (a donor whose transfer ended), reads paused";
        } else {
            reason = behind ? "behind: " + galera.receiveQueue() + " write sets to apply, more than " + maxReceiveQueue + ", reads paused"
                    : "answering";
        }
        return state();
    }

    /** A ping failed this way. */
    public NodeState pingFailed(long now, Kind kind, String why) {
        checked = true;
        failed(kind, "ping failed", why);
        return state();
    }

    /**
     * A request that began at {@code requestStarted} met this failure of the node. Ignored when the node is out
     * (requests go to it no longer) or was brought back after the request began.
     */
    public NodeState requestFailed(long requestStarted, Kind kind, String why) {
        if (!up || requestStarted - broughtBackAt < 0) {
            return state();
        }
        failed(kind, "a request failed", why);
        return state();
    }

    private void failed(Kind kind, String what, String why) {
        if (kind == Kind.REFUSED || kind == Kind.NOT_READY) {
            takeOut((kind == Kind.REFUSED ? "connection refused: " : "cannot serve: ") + why);
            return;
        }
        failures++;
        successes = 0;
        if (failures >= failureThreshold) {
            up = false;
            readsPaused = false;
        }
        reason = what + " (" + failures + " in a row): " + why;
    }

    private void takeOut(String why) {
        failures++;
        successes = 0;
        up = false;
        readsPaused = false;
        reason = why;
    }

    public NodeState state() {
        return new NodeState(name, writable, checked, up, readsPaused, latencyMicros, reason, clusterUuid, localIndex);
    }
}

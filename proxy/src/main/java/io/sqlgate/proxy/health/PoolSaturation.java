package io.sqlgate.proxy.health;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Since when each node's application pool has had no free connection, as the monitor sees it at each ping: a
 * pool held whole by statements that do not finish serves nobody else, however well its node answers pings.
 * Pure bookkeeping; {@link HealthMonitor} samples, {@link WriterReadiness} reports.
 */
public final class PoolSaturation {
    private final Map<String, Long> exhaustedSince = new ConcurrentHashMap<>();

    /** @param exhausted whether the node's pool had no idle connection left when sampled */
    void observe(String node, boolean exhausted, long nowNanos) {
        if (exhausted) {
            exhaustedSince.putIfAbsent(node, nowNanos);
        } else {
            exhaustedSince.remove(node);
        }
    }

    /** @return how long the node's pool has been exhausted without a break, in nanoseconds; 0 when it is not */
    long exhaustedFor(String node, long nowNanos) {
        Long since = exhaustedSince.get(node);
        return since == null ? 0 : nowNanos - since;
    }
}

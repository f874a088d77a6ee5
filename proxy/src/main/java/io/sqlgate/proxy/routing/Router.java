package io.sqlgate.proxy.routing;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpStatus;
import io.sqlgate.hop.http.ApiException;
import io.sqlgate.hop.wire.Strategy;
import io.sqlgate.proxy.ProxyConfiguration;
import io.sqlgate.proxy.health.ClusterSnapshot;
import io.sqlgate.proxy.health.HealthMonitor;
import io.sqlgate.proxy.health.NodeState;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides the node of every statement from the monitor's latest snapshot: writes (and locking reads) to the
 * primary; reads by their strategy, falling back to the primary when no read node is healthy. When nothing
 * can serve, the answer is a 503 at once, never a wait.
 */
@Singleton
public final class Router {
    private final HealthMonitor monitor;
    private final Map<Strategy, NodePicker> pickers = new EnumMap<>(Strategy.class);
    private final DirectPicker primary = new DirectPicker();
    private final MeterRegistry meters;

    public Router(HealthMonitor monitor, ProxyConfiguration configuration, MeterRegistry meters) {
        this.monitor = monitor;
        this.meters = meters;
        pickers.put(Strategy.DIRECT, primary);
        pickers.put(Strategy.RANDOM, new RandomPicker());
        pickers.put(Strategy.CUSTOMIZED, new CustomizedPicker(configuration.routing().exploration()));
    }

    public Route forWrite() {
        ClusterSnapshot snapshot = monitor.snapshot();
        return primary.pick(snapshot).map(node -> new Route(node, Route.PRIMARY, false))
                .orElseThrow(() -> noBackend(Route.PRIMARY, snapshot.primary()));
    }

    /** A read by its strategy; {@code excluded} names a node that just failed this request, or null. */
    public Route forRead(Strategy strategy, String excluded) {
        ClusterSnapshot snapshot = monitor.snapshot();
        ClusterSnapshot usable = excluded == null ? snapshot : withoutNode(snapshot, excluded);
        Optional<NodeState> picked = pickers.get(strategy).pick(usable);
        if (picked.isPresent()) {
            return new Route(picked.get(), strategy.wireName(), false);
        }
        if (strategy != Strategy.DIRECT) {
            Optional<NodeState> fallback = primary.pick(usable);
            if (fallback.isPresent()) {
                meters.counter("sqlgate.proxy.fallback", "strategy", strategy.wireName()).increment();
                return new Route(fallback.get(), strategy.wireName(), true);
            }
        }
        throw noBackend(strategy.wireName(), snapshot.primary());
    }

    private static ClusterSnapshot withoutNode(ClusterSnapshot snapshot, String name) {
        return snapshot.node(name).filter(NodeState::up)
                .map(node -> snapshot.with(new NodeState(node.name(), node.role(), false, node.latencyMicros(), "failed this request")))
                .orElse(snapshot);
    }

    private ApiException noBackend(String strategy, NodeState primaryNode) {
        meters.counter("sqlgate.proxy.no_backend", "strategy", strategy).increment();
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "NODE_UNAVAILABLE",
                "No node can serve this statement: the primary " + primaryNode.name() + " is down (" + primaryNode.reason() + ")"
                        + (strategy.equals(Strategy.RANDOM.wireName()) || strategy.equals(Strategy.CUSTOMIZED.wireName())
                        ? " and no read node is healthy" : ""));
    }
}

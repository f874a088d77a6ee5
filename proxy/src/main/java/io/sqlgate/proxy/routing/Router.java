package io.sqlgate.proxy.routing;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpStatus;
import io.sqlgate.http.ApiException;
import io.sqlgate.hop.wire.Strategy;
import io.sqlgate.proxy.ProxyConfiguration;
import io.sqlgate.proxy.health.ClusterSnapshot;
import io.sqlgate.proxy.health.HealthMonitor;
import io.sqlgate.proxy.health.NodeState;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides the node of every statement from the monitor's latest snapshot: writes, locking reads and direct reads
 * to the writer the monitor elected; other reads by their strategy among the readers, falling back to the writer
 * when no reader is healthy. When nothing can serve, the answer is a 503 at once, never a wait, except while the
 * monitor elects its first writer: a proxy that has just started does not answer "no writer" for a cluster that
 * has one, it waits for the election, at most the pool's connection timeout.
 */
@Singleton
public final class Router {
    private final HealthMonitor monitor;
    private final Map<Strategy, NodePicker> pickers = new EnumMap<>(Strategy.class);
    private final DirectPicker writer = new DirectPicker();
    private final MeterRegistry meters;
    private final Duration firstElectionWait;

    public Router(HealthMonitor monitor, ProxyConfiguration configuration, MeterRegistry meters) {
        this.monitor = monitor;
        this.meters = meters;
        this.firstElectionWait = configuration.database().connectionTimeout();
        pickers.put(Strategy.DIRECT, writer);
        pickers.put(Strategy.RANDOM, new RandomPicker());
        pickers.put(Strategy.CUSTOMIZED, new CustomizedPicker(configuration.routing().exploration()));
    }

    public Route forWrite() {
        ClusterSnapshot snapshot = afterFirstElection(monitor.snapshot());
        return writer.pick(snapshot).map(node -> new Route(node, Route.WRITER, false))
                .orElseThrow(() -> noBackend(Route.WRITER, snapshot));
    }

    /**
     * The writer elected after {@code failed} could not take a statement, waiting for the election at most
     * {@code wait}: for a write, or a direct read, to be tried once more.
     *
     * @param strategy the route's strategy: {@link Route#WRITER}, or {@code direct} for a direct read
     */
    public Optional<Route> forWriterAfter(String failed, Duration wait, String strategy) throws InterruptedException {
        return monitor.awaitWriterOtherThan(failed, wait).map(node -> new Route(node, strategy, false));
    }

    /** A read by its strategy; {@code excluded} names a node that just failed this request, or null. */
    public Route forRead(Strategy strategy, String excluded) {
        ClusterSnapshot latest = monitor.snapshot();
        ClusterSnapshot snapshot = strategy == Strategy.DIRECT || latest.readers().isEmpty() ? afterFirstElection(latest) : latest;
        ClusterSnapshot usable = excluded == null ? snapshot : without(snapshot, excluded);
        Optional<NodeState> picked = pickers.get(strategy).pick(usable);
        if (picked.isPresent()) {
            return new Route(picked.get(), strategy.wireName(), false);
        }
        if (strategy != Strategy.DIRECT) {
            Optional<NodeState> fallback = usable.writer();
            if (fallback.isPresent()) {
                meters.counter("sqlgate.proxy.fallback", "strategy", strategy.wireName()).increment();
                return new Route(fallback.get(), strategy.wireName(), true);
            }
        }
        throw noBackend(strategy.wireName(), usable);
    }

    /** {@code snapshot}, or, while the monitor elects its first writer, the snapshot after it (or after the wait). */
    private ClusterSnapshot afterFirstElection(ClusterSnapshot snapshot) {
        if (!snapshot.electing()) {
            return snapshot;
        }
        try {
            return monitor.awaitFirstElection(firstElectionWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return monitor.snapshot();
        }
    }

    /** The snapshot with one node taken out (a reader, or the writer, then with no writer), for a retry elsewhere. */
    private static ClusterSnapshot without(ClusterSnapshot snapshot, String name) {
        return new ClusterSnapshot(snapshot.nodes().stream().map(node -> node.name().equals(name) && node.up() ? node.out("failed this request") : node)
                .toList(), snapshot.writer().map(NodeState::name).filter(writerName -> !writerName.equals(name)).orElse(null));
    }

    private ApiException noBackend(String strategy, ClusterSnapshot snapshot) {
        meters.counter("sqlgate.proxy.no_backend", "strategy", strategy).increment();
        String nodes = snapshot.nodes().stream().map(node -> node.name() + ": " + snapshot.role(node)
                + (node.up() ? "" : " (" + node.reason() + ")")).collect(Collectors.joining("; "));
        boolean readStrategy = strategy.equals(Strategy.RANDOM.wireName()) || strategy.equals(Strategy.CUSTOMIZED.wireName());
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "NODE_UNAVAILABLE", "No node can serve this statement: "
                + (readStrategy ? "no reader is healthy and there is no writer" : "there is no writer") + " [" + nodes + "]");
    }
}

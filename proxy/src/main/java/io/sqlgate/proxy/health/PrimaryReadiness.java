package io.sqlgate.proxy.health;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.sqlgate.proxy.ProxyConfiguration;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The proxy is ready when its primary answers and its primary's pool has had a free connection within
 * {@code proxy.monitor.saturation-threshold}; every node's state, and how long its pool has been exhausted, is
 * in the details.
 */
@Singleton
@Readiness
public final class PrimaryReadiness implements HealthIndicator {
    private final HealthMonitor monitor;
    private final Duration saturationThreshold;

    public PrimaryReadiness(HealthMonitor monitor, ProxyConfiguration configuration) {
        this.monitor = monitor;
        this.saturationThreshold = configuration.monitor().saturationThreshold();
    }

    @Override
    public Publisher<HealthResult> getResult() {
        ClusterSnapshot snapshot = monitor.snapshot();
        Map<String, Object> details = new LinkedHashMap<>();
        for (NodeState node : snapshot.nodes()) {
            details.put(node.name(), Map.of("role", node.role().name().toLowerCase(), "up", node.up(),
                    "latencyMs", Math.round(node.latencyMicros() / 10.0) / 100.0, "reason", node.reason(),
                    "poolExhaustedSeconds", monitor.exhaustedFor(node.name()).toMillis() / 1000.0));
        }
        boolean starved = monitor.exhaustedFor(snapshot.primary().name()).compareTo(saturationThreshold) > 0;
        return Publishers.just(HealthResult.builder("nodes", snapshot.primary().up() && !starved ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}

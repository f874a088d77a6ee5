package io.sqlgate.proxy.health;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.LinkedHashMap;
import java.util.Map;

/** The proxy is ready when its primary answers; every node's state is in the details. */
@Singleton
@Readiness
public final class PrimaryReadiness implements HealthIndicator {
    private final HealthMonitor monitor;

    public PrimaryReadiness(HealthMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        ClusterSnapshot snapshot = monitor.snapshot();
        Map<String, Object> details = new LinkedHashMap<>();
        for (NodeState node : snapshot.nodes()) {
            details.put(node.name(), Map.of("role", node.role().name().toLowerCase(), "up", node.up(),
                    "latencyMs", Math.round(node.latencyMicros() / 10.0) / 100.0, "reason", node.reason()));
        }
        return Publishers.just(HealthResult.builder("nodes", snapshot.primary().up() ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}

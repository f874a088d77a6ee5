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
 * The proxy is ready when the monitor has a writer and the writer's pool has had a free connection within
 * {@code proxy.monitor.saturation-threshold}. The details name the writer and give every node's role (writer,
 * reader, paused, out), state and reason, and how long its pool has been exhausted.
 */
@Singleton
@Readiness
public final class WriterReadiness implements HealthIndicator {
    private final HealthMonitor monitor;
    private final Duration saturationThreshold;

    public WriterReadiness(HealthMonitor monitor, ProxyConfiguration configuration) {
        this.monitor = monitor;
        this.saturationThreshold = configuration.monitor().saturationThreshold();
    }

    @Override
    public Publisher<HealthResult> getResult() {
        ClusterSnapshot snapshot = monitor.snapshot();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("writer", snapshot.writer().map(NodeState::name).orElse("none"));
        details.put("preferredWriter", monitor.preferredWriter());
        Map<String, Object> nodes = new LinkedHashMap<>();
        for (NodeState node : snapshot.nodes()) {
            nodes.put(node.name(), Map.of("role", snapshot.role(node), "up", node.up(), "writable", node.writable(),
                    "latencyMs", Math.round(node.latencyMicros() / 10.0) / 100.0, "reason", node.reason(),
                    "poolExhaustedSeconds", monitor.exhaustedFor(node.name()).toMillis() / 1000.0));
        }
        details.put("nodes", nodes);
        boolean ready = snapshot.writer().map(writer -> monitor.exhaustedFor(writer.name()).compareTo(saturationThreshold) <= 0)
                .orElse(false);
        return Publishers.just(HealthResult.builder("nodes", ready ? HealthStatus.UP : HealthStatus.DOWN).details(details).build());
    }
}

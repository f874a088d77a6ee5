package io.sqlgate.proxy.limits;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.sqlgate.hop.http.ApiException;
import io.sqlgate.hop.http.Permit;
import io.sqlgate.hop.wire.QueryRequest;
import io.sqlgate.proxy.ProxyConfiguration;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many statements each API key has in flight in the proxy, and the limit: no key can hold more than its role's
 * share, and never more than {@code node-share} of a node's pool, so that others always find connections. One more
 * is 429 CONCURRENCY_LIMITED with Retry-After at once, never queued. The key and its role are those the gatekeeper
 * signed into the request; a request without them counts as the key {@value #UNNAMED} with a reader's limit.
 * Each key's count is the gauge {@code sqlgate.proxy.key_in_flight{key}}.
 */
@Singleton
public final class KeyBulkheads {
    static final String UNNAMED = "-";
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final int readerLimit;
    private final int writerLimit;

    public KeyBulkheads(ProxyConfiguration configuration, MeterRegistry meters) {
        this.meters = meters;
        ProxyConfiguration.Limits limits = configuration.limits();
        int share = Math.max(1, (int) Math.floor(limits.nodeShare() * configuration.database().poolSize()));
        this.readerLimit = Math.min(limits.readerInFlight(), share);
        this.writerLimit = Math.min(limits.writerInFlight(), share);
    }

    /** @throws ApiException 429 CONCURRENCY_LIMITED when the key has its limit in flight already */
    public Permit enter(QueryRequest request) {
        String key = request.key() == null ? UNNAMED : request.key();
        int limit = "writer".equals(request.role()) ? writerLimit : readerLimit;
        AtomicInteger count = inFlight.computeIfAbsent(key, this::counter);
        if (count.incrementAndGet() > limit) {
            count.decrementAndGet();
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "CONCURRENCY_LIMITED", "Key '" + key + "' has " + limit
                    + " statements in flight already, its limit; retry in 1 s", Map.of(HttpHeaders.RETRY_AFTER, "1"));
        }
        return Permit.of(count::decrementAndGet);
    }

    private AtomicInteger counter(String key) {
        AtomicInteger count = new AtomicInteger();
        Gauge.builder("sqlgate.proxy.key_in_flight", count, AtomicInteger::get).tag("key", key)
                .description("Statements in flight in the proxy for each API key").register(meters);
        return count;
    }
}

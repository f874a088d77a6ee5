package io.sqlgate.gatekeeper.auth;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micronaut.http.HttpStatus;
import io.sqlgate.gatekeeper.GatekeeperConfiguration;
import io.sqlgate.hop.http.ApiException;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A token bucket per API key (Bucket4j); an empty bucket is a 429 with the seconds to wait in Retry-After. */
@Singleton
public final class RateLimiter {
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final GatekeeperConfiguration.RateLimit limit;

    public RateLimiter(GatekeeperConfiguration configuration) {
        this.limit = configuration.rateLimit();
    }

    public void acquire(ApiKey key) {
        ConsumptionProbe probe = buckets.computeIfAbsent(key.name(), name -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1e9));
            throw ApiException.retryLater(HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED", "Too many requests for key '" + key.name()
                    + "' (limit " + limit.requestsPerSecond() + "/s, burst " + limit.burst() + "); retry in " + seconds + " s", seconds);
        }
    }

    private Bucket newBucket() {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(limit.burst())
                .refillGreedy(limit.requestsPerSecond(), Duration.ofSeconds(1)).build()).build();
    }
}

package io.sqlgate.gatekeeper.auth;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import jakarta.inject.Inject;
import io.micronaut.http.HttpStatus;
import io.sqlgate.gatekeeper.GatekeeperConfiguration;
import io.sqlgate.http.ApiException;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A token bucket per API key (Bucket4j); an empty bucket is a 429 with the seconds to wait in Retry-After. */
@Singleton
public final class RateLimiter {
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final GatekeeperConfiguration.RateLimit limit;
    private final TimeMeter clock;

    @Inject
    public RateLimiter(GatekeeperConfiguration configuration) {
        this(configuration, TimeMeter.SYSTEM_NANOTIME);
    }

    /** @param clock the buckets' time: the system's, or a test's own */
    RateLimiter(GatekeeperConfiguration configuration, TimeMeter clock) {
        this.limit = configuration.rateLimit();
        this.clock = clock;
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
        return Bucket.builder().withCustomTimePrecision(clock).addLimit(Bandwidth.builder().capacity(limit.burst())
                .refillGreedy(limit.requestsPerSecond(), Duration.ofSeconds(1)).build()).build();
    }
}

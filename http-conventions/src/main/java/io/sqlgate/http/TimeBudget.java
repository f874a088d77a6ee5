package io.sqlgate.http;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import java.time.Duration;

/**
 * Time one key may spend on something costly (the gatekeeper's parser, the nodes' statements): a token bucket of
 * microseconds, refilled at {@code perSecond} each second up to {@code burst}. Work is admitted while the bucket
 * is above zero and charged what it took afterwards, so one piece of work may leave it in debt, which the key then
 * waits out; no piece of work is refused for a cost it has not yet incurred.
 */
public final class TimeBudget {
    private final Bucket bucket;
    private final long refillMicros;

    public TimeBudget(Duration perSecond, Duration burst) {
        this.refillMicros = Math.max(1, perSecond.toNanos() / 1000);
        long burstMicros = Math.max(refillMicros, burst.toNanos() / 1000);
        this.bucket = Bucket.builder().addLimit(Bandwidth.builder().capacity(burstMicros)
                .refillGreedy(refillMicros, Duration.ofSeconds(1)).build()).build();
    }

    /** @return the microseconds left, negative when in debt */
    public long availableMicros() {
        return bucket.getAvailableTokens();
    }

    public void charge(long micros) {
        bucket.consumeIgnoringRateLimits(Math.max(1, micros));
    }

    /** @return the whole seconds, at least one, until a budget now at {@code availableMicros} is above zero again */
    public long secondsUntilAvailable(long availableMicros) {
        return Math.max(1, (long) Math.ceil((1.0 - Math.min(0, availableMicros)) / refillMicros));
    }
}

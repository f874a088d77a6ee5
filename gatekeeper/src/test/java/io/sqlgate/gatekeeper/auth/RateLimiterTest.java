package io.sqlgate.gatekeeper.auth;

import io.github.bucket4j.TimeMeter;
import io.sqlgate.gatekeeper.GatekeeperConfiguration;
import io.sqlgate.http.ApiException;
import io.sqlgate.sql.Role;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The buckets on a clock of the test's own: what is allowed when depends on time alone, never on the machine's speed. */
class RateLimiterTest {
    private final AtomicLong nanos = new AtomicLong();
    private final RateLimiter limiter = new RateLimiter(new GatekeeperConfiguration(List.of("k"), 100,
            new GatekeeperConfiguration.RateLimit(2, 3)), new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    });
    private final ApiKey alice = new ApiKey("alice", Role.READER);

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void aBurstPassesThenTheKeyWaitsForItsRefillAndOtherKeysDoNot() {
        for (int i = 0; i < 3; i++) {
            assertDoesNotThrow(() -> limiter.acquire(alice));
        }
        ApiException limited = assertThrows(ApiException.class, () -> limiter.acquire(alice));
        assertEquals(429, limited.status());
        assertEquals("RATE_LIMITED", limited.code());
        assertEquals("1", limited.headers().get("Retry-After"), "one token comes back in 500 ms: rounded up to 1 s");
        assertDoesNotThrow(() -> limiter.acquire(new ApiKey("bob", Role.READER)));

        advance(Duration.ofMillis(499));
        assertThrows(ApiException.class, () -> limiter.acquire(alice), "a token takes 500 ms at 2 per second");
        advance(Duration.ofMillis(1));
        assertDoesNotThrow(() -> limiter.acquire(alice));
        assertThrows(ApiException.class, () -> limiter.acquire(alice));
    }

    @Test
    void anIdleKeyGetsItsBurstBackAndNoMore() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire(alice);
        }
        advance(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertDoesNotThrow(() -> limiter.acquire(alice));
        }
        ApiException limited = assertThrows(ApiException.class, () -> limiter.acquire(alice));
        assertEquals("RATE_LIMITED", limited.code());
    }
}

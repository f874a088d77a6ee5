package io.sqlgate.gatekeeper.auth;

import io.sqlgate.gatekeeper.GatekeeperConfiguration;
import io.sqlgate.hop.http.ApiException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {
    private final RateLimiter limiter = new RateLimiter(new GatekeeperConfiguration(List.of("k"), List.of("t"), "main_db", 100,
            new GatekeeperConfiguration.RateLimit(1, 3)));

    @Test
    void aBurstPassesThenTheKeyWaitsAndOtherKeysDoNot() {
        ApiKey alice = new ApiKey("alice", Role.READER);
        for (int i = 0; i < 3; i++) {
            assertDoesNotThrow(() -> limiter.acquire(alice));
        }
        ApiException limited = assertThrows(ApiException.class, () -> limiter.acquire(alice));
        assertEquals(429, limited.status().getCode());
        assertEquals("RATE_LIMITED", limited.code());
        assertTrue(Long.parseLong(limited.headers().get("Retry-After")) >= 1);
        assertDoesNotThrow(() -> limiter.acquire(new ApiKey("bob", Role.READER)));
    }
}

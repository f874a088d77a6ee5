package io.sqlgate.gatekeeper.auth;

import io.sqlgate.sql.Role;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.sqlgate.http.ApiException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeyBackoffTest {
    private static final ApiKey ALICE = new ApiKey("alice", Role.READER);
    private static final ApiKey BOB = new ApiKey("bob", Role.READER);

    private static HttpResponse<byte[]> answer(HttpStatus status, String code, String retryAfter) {
        byte[] body = ("{\"error\": \"...\", \"code\": \"" + code + "\", \"requestId\": \"r\"}").getBytes(StandardCharsets.UTF_8);
        return retryAfter == null ? HttpResponse.<byte[]>status(status).body(body)
                : HttpResponse.<byte[]>status(status).header("Retry-After", retryAfter).body(body);
    }

    @Test
    void aKeyTheProxyToldToWaitIsRefusedHereForAsLongAndNoOtherKeyIs() {
        KeyBackoff backoff = new KeyBackoff();
        backoff.check(ALICE);
        backoff.observe(ALICE, answer(HttpStatus.TOO_MANY_REQUESTS, "STATEMENT_TIME_EXHAUSTED", "30"));
        ApiException refused = assertThrows(ApiException.class, () -> backoff.check(ALICE));
        assertEquals("STATEMENT_TIME_EXHAUSTED", refused.code());
        assertEquals(429, refused.status());
        long seconds = Long.parseLong(refused.headers().get("Retry-After"));
        assertEquals(true, seconds >= 29 && seconds <= 30, "Retry-After " + seconds);
        assertDoesNotThrow(() -> backoff.check(BOB));
    }

    @Test
    void otherAnswersAreNotRemembered() {
        KeyBackoff backoff = new KeyBackoff();
        backoff.observe(ALICE, answer(HttpStatus.TOO_MANY_REQUESTS, "CONCURRENCY_LIMITED", "1"));
        backoff.observe(ALICE, answer(HttpStatus.OK, "STATEMENT_TIME_EXHAUSTED", "30"));
        backoff.observe(ALICE, answer(HttpStatus.SERVICE_UNAVAILABLE, "OVERLOADED", "1"));
        assertDoesNotThrow(() -> backoff.check(ALICE));
    }
}

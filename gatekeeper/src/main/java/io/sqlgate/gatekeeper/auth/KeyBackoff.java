package io.sqlgate.gatekeeper.auth;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.sqlgate.http.ApiException;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys the proxy told to wait. When the proxy answers a key 429 STATEMENT_TIME_EXHAUSTED with Retry-After, the key
 * has spent its time on the nodes for that long; until then the gatekeeper answers the key's requests the same way
 * itself, before parsing or forwarding anything, so that a client that ignores Retry-After costs two tiers nothing
 * more than the refusal.
 */
@Singleton
public final class KeyBackoff {
    static final String CODE = "STATEMENT_TIME_EXHAUSTED";
    private static final byte[] CODE_BYTES = ("\"" + CODE + "\"").getBytes(StandardCharsets.US_ASCII);
    private final Map<String, Long> waitUntilNanos = new ConcurrentHashMap<>();

    /** @throws ApiException 429 STATEMENT_TIME_EXHAUSTED while the key is told to wait */
    public void check(ApiKey key) {
        Long until = waitUntilNanos.get(key.name());
        if (until == null) {
            return;
        }
        long left = until - System.nanoTime();
        if (left <= 0) {
            waitUntilNanos.remove(key.name(), until);
            return;
        }
        long seconds = Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
        throw ApiException.retryLater(HttpStatus.TOO_MANY_REQUESTS, CODE, "Key '" + key.name() + "' used its statement time on the"
                + " nodes; retry in " + seconds + " s", seconds);
    }

    /** Notes the proxy's answer to one of the key's requests. */
    public void observe(ApiKey key, HttpResponse<?> answer) {
        if (answer.code() != 429 || !(answer.body() instanceof byte[] body) || indexOf(body, CODE_BYTES) < 0) {
            return;
        }
        String retryAfter = answer.getHeaders().get(HttpHeaders.RETRY_AFTER);
        long seconds;
        try {
            seconds = retryAfter == null ? 1 : Math.min(60, Math.max(1, Long.parseLong(retryAfter.trim())));
        } catch (NumberFormatException e) {
            seconds = 1;
        }
        waitUntilNanos.put(key.name(), System.nanoTime() + seconds * 1_000_000_000L);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

package io.sqlgate.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;

import io.sqlgate.hop.Refusal;

import java.util.Map;

/**
 * A refusal or failure of this tier's HTTP handling, answered like every {@link Refusal}, with headers such as
 * {@code Retry-After} when waiting cures it.
 *
 * @see ApiExceptionHandler
 */
public class ApiException extends Refusal {
    private final Map<String, String> headers;

    public ApiException(HttpStatus status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(HttpStatus status, String code, String message, Map<String, String> headers) {
        super(status.getCode(), code, message);
        this.headers = headers;
    }

    /** Extra response headers, such as {@code Retry-After}. */
    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, code, message);
    }

    /** A refusal that waiting cures: 429 or 503 with the seconds to wait in {@code Retry-After}. */
    public static ApiException retryLater(HttpStatus status, String code, String message, long seconds) {
        return new ApiException(status, code, message, Map.of(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
    }
}

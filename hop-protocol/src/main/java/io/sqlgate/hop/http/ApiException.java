package io.sqlgate.hop.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;

import java.util.Map;

/**
 * A refusal or failure answered as {@code {"error", "code", "requestId"}} with its status.
 *
 * @see ApiExceptionHandler
 */
public class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String code;
    private final Map<String, String> headers;

    public ApiException(HttpStatus status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(HttpStatus status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = headers;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Extra response headers, such as {@code Retry-After}. */
    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, code, message);
    }

    public static ApiException forbidden(String code, String message) {
        return new ApiException(HttpStatus.FORBIDDEN, code, message);
    }

    /** A refusal that waiting cures: 429 or 503 with the seconds to wait in {@code Retry-After}. */
    public static ApiException retryLater(HttpStatus status, String code, String message, long seconds) {
        return new ApiException(status, code, message, Map.of(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
    }
}

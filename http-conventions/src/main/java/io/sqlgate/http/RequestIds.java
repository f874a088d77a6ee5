package io.sqlgate.http;

import io.micronaut.http.HttpRequest;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: kept when a caller sends a well-formed one, made otherwise; one per request in every tier. */
public final class RequestIds {
    static final String ATTRIBUTE = "sqlgate.requestId";
    private static final int MAX_LENGTH = 64;

    private RequestIds() {
    }

    /** 1 to 64 characters of letters, digits, '-', '_' and '.': safe in headers, logs and JSON alike. */
    public static boolean isWellFormed(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** 128 random bits in the textual form of a UUID (not a cryptographic secret; only unique). */
    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
    }

    /** The id the access-log filter gave this request. */
    public static String of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, String.class).orElse("-");
    }
}

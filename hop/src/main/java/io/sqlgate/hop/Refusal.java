package io.sqlgate.hop;

/**
 * A request refused or failed, with the HTTP status it is answered with and a stable code. Every tier answers
 * it the same way, as {@code {"error", "code", "requestId"}}; the message is for a person and names the problem.
 */
public class Refusal extends RuntimeException {
    private final int status;
    private final String code;

    public Refusal(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** 400: the request is malformed or names something that does not exist. */
    public static Refusal invalid(String code, String message) {
        return new Refusal(400, code, message);
    }

    /** 403: the request is well formed and not allowed. */
    public static Refusal forbidden(String code, String message) {
        return new Refusal(403, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}

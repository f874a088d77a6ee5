package io.sqlgate.hop.sql;

/** A statement that cannot be accepted, with a stable code and a message for a person. */
public final class SqlRejectedException extends RuntimeException {
    private final String code;

    public SqlRejectedException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}

package io.sqlgate.sql;

import io.sqlgate.hop.Refusal;

/**
 * A statement that cannot be accepted: 400 when it cannot be read (missing, unparseable, several at once,
 * unsupported), 403 when it is read and not allowed.
 */
public final class SqlRejectedException extends Refusal {

    public SqlRejectedException(String code, String message) {
        this(400, code, message);
    }

    private SqlRejectedException(int status, String code, String message) {
        super(status, code, message);
    }

    public static SqlRejectedException forbidden(String code, String message) {
        return new SqlRejectedException(403, code, message);
    }

    static SqlRejectedException misrouted(String message) {
        return new SqlRejectedException(400, "ROUTE_MISMATCH", message);
    }
}

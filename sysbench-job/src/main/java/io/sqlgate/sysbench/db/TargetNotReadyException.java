package io.sqlgate.sysbench.db;

/** A target did not accept connections in time, or refused them for good. */
public class TargetNotReadyException extends RuntimeException {
    public TargetNotReadyException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.sqlgate.hop.signing;

/** A hop whose signature is missing, wrong, stale or replayed: answered with 401. */
public final class HopRejectedException extends RuntimeException {
    public HopRejectedException(String message) {
        super(message, null, false, false);
    }
}

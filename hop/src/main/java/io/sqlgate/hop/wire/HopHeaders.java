package io.sqlgate.hop.wire;

/** Headers that travel between tiers and back to the client. */
public final class HopHeaders {
    public static final String REQUEST_ID = "X-Request-Id";
    public static final String TIMESTAMP = "X-Hop-Timestamp";
    public static final String SIGNATURE = "X-Hop-Signature";
    /** The node that served the statement. */
    public static final String SERVED_BY = "X-Served-By";
    /** The strategy that picked the node (reads) or {@code writer} (writes and locking reads). */
    public static final String STRATEGY = "X-Strategy";
    /** Present and {@code true} when a read fell back to the writer. */
    public static final String FALLBACK = "X-Fallback";
    /** Present and {@code true} when a read's rows were cut at the configured maximum. */
    public static final String TRUNCATED = "X-Truncated";

    private HopHeaders() {
    }
}

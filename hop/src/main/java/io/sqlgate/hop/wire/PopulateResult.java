package io.sqlgate.hop.wire;


/** The answer of the original's {@code POST /populate_tables}, with the count it lacked. */
public record PopulateResult(String message, long affectedRows) {
}

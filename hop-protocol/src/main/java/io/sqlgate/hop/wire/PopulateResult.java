package io.sqlgate.hop.wire;

import io.micronaut.serde.annotation.Serdeable;

/** The answer of the original's {@code POST /populate_tables}, with the count it lacked. */
@Serdeable
public record PopulateResult(String message, long affectedRows) {
}

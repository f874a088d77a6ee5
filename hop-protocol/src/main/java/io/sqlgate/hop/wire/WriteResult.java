package io.sqlgate.hop.wire;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** A write's answer on {@code POST /query}. */
@Serdeable
public record WriteResult(long affectedRows, List<Object> generatedKeys, String node) {
}

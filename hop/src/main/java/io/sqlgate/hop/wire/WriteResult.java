package io.sqlgate.hop.wire;


import java.util.List;

/** A write's answer on {@code POST /query}. */
public record WriteResult(long affectedRows, List<Object> generatedKeys, String node) {
}

package io.sqlgate.proxy.query;

import java.util.List;

/** A read's rows, cut at the configured maximum. */
public record Rows(List<String> columns, List<List<Object>> rows, boolean truncated) {
}

package io.sqlgate.hop.wire;


import java.util.List;

/**
 * A read's answer on {@code POST /query}.
 *
 * @param truncated true when the statement matched more rows than the configured maximum
 * @param fallback  true when no reader was healthy and the writer served the read instead
 */
public record ReadResult(List<String> columns, List<List<Object>> rows, String node, String strategy,
                         boolean truncated, boolean fallback) {
}

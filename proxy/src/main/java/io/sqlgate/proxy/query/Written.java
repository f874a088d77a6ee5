package io.sqlgate.proxy.query;

import java.util.List;

/** What a write changed. */
public record Written(long affectedRows, List<Object> generatedKeys) {
}

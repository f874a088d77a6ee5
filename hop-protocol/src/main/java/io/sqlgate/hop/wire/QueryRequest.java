package io.sqlgate.hop.wire;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * The body of {@code POST /query}, and of the original's routes (which send only {@code sql}).
 *
 * @param sql      one SQL statement
 * @param params   values bound to the statement's {@code ?} placeholders, in order
 * @param strategy how a read picks its node: direct, random or customized (default direct)
 */
@Serdeable
public record QueryRequest(@Nullable String sql, @Nullable List<Object> params, @Nullable String strategy) {

    public List<Object> paramsOrEmpty() {
        return params == null ? List.of() : params;
    }
}

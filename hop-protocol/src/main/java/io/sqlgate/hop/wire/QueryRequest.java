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
 * @param statementClass set by the gatekeeper only, inside the signed body between tiers: the class of the
 *                 statement it parsed and checked ({@link io.sqlgate.hop.sql.StatementClass}); a client's body
 *                 with this field is refused ({@link io.sqlgate.hop.http.QueryBodies#readPublic})
 */
@Serdeable
public record QueryRequest(@Nullable String sql, @Nullable List<Object> params, @Nullable String strategy,
                           @Nullable String statementClass) {

    public QueryRequest(String sql, List<Object> params, String strategy) {
        this(sql, params, strategy, null);
    }

    public List<Object> paramsOrEmpty() {
        return params == null ? List.of() : params;
    }
}

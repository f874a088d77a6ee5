package io.sqlgate.hop.wire;


import java.util.List;

/**
 * The body of {@code POST /query}, and of the original's routes (which send only {@code sql}).
 *
 * @param sql      one SQL statement
 * @param params   values bound to the statement's {@code ?} placeholders, in order
 * @param strategy how a read picks its node: direct, random or customized (default direct)
 * @param statementClass set by the gatekeeper only, inside the signed body between tiers: the class of the
 *                 statement it parsed and checked (the wire name of {@code io.sqlgate.sql.StatementClass}); a client's body
 *                 with this field is refused (by {@code io.sqlgate.http.QueryBodies})
 * @param key      set by the gatekeeper only, like statementClass: the name of the API key that sent the
 *                 request (never the key), by which the proxy bounds what each key holds at once
 * @param role     set by the gatekeeper only: that key's role, {@code reader} or {@code writer}
 */
public record QueryRequest(String sql, List<Object> params, String strategy,
                           String statementClass, String key, String role) {

    public QueryRequest(String sql, List<Object> params, String strategy) {
        this(sql, params, strategy, null, null, null);
    }

    public QueryRequest(String sql, List<Object> params, String strategy, String statementClass) {
        this(sql, params, strategy, statementClass, null, null);
    }

    public List<Object> paramsOrEmpty() {
        return params == null ? List.of() : params;
    }
}

package io.sqlgate.hop.wire;

import io.micronaut.http.HttpStatus;
import io.sqlgate.hop.http.ApiException;
import io.sqlgate.hop.sql.ParsedStatement;
import io.sqlgate.hop.sql.StatementType;

/**
 * The public routes, the same in every tier, and which statements each takes. Every tier checks a
 * statement against its route, so that no tier relies on the one before it having done so.
 */
public enum ApiRoute {
    /** Any data statement; reads by the request's strategy. */
    QUERY("query", null),
    /** The original's write route: INSERT, UPDATE or DELETE. */
    POPULATE_TABLES("populate_tables", null),
    FETCH_DIRECT("fetch_direct", Strategy.DIRECT),
    FETCH_RANDOM("fetch_random", Strategy.RANDOM),
    FETCH_CUSTOMIZED("fetch_customized", Strategy.CUSTOMIZED);

    private final String path;
    private final Strategy strategy;

    ApiRoute(String path, Strategy strategy) {
        this.path = path;
        this.strategy = strategy;
    }

    /** The path without its leading slash. */
    public String path() {
        return path;
    }

    /** The strategy a read route stands for; null for the routes that are not reads. */
    public Strategy strategy() {
        return strategy;
    }

    public boolean isFetch() {
        return strategy != null;
    }

    /** Refuses statements that are not data statements, and statements sent to the wrong route. */
    public void check(ParsedStatement statement) {
        check(statement.type());
    }

    /** The same check on a statement known by its type only. */
    public void check(StatementType type) {
        if (type == StatementType.OTHER) {
            throw new ApiException(HttpStatus.FORBIDDEN, "SQL_FORBIDDEN", "Only SELECT, INSERT, UPDATE and DELETE statements are allowed");
        }
        if (this == POPULATE_TABLES && type == StatementType.SELECT) {
            throw ApiException.badRequest("ROUTE_MISMATCH",
                    "/populate_tables takes INSERT, UPDATE or DELETE; send reads to /fetch_direct, /fetch_random or /fetch_customized");
        }
        if (isFetch() && type != StatementType.SELECT) {
            throw ApiException.badRequest("ROUTE_MISMATCH", "/" + path + " takes SELECT; send writes to /populate_tables or /query");
        }
    }
}

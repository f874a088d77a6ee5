package io.sqlgate.hop.wire;

/**
 * The public routes, the same in every tier. Which statements each takes is the SQL policy's to say
 * ({@code io.sqlgate.sql.SqlPolicy}), and every tier checks it for itself.
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

    /** @return the route of a path without its leading slash, or null when there is none */
    public static ApiRoute ofPath(String path) {
        for (ApiRoute route : values()) {
            if (route.path.equals(path)) {
                return route;
            }
        }
        return null;
    }
}

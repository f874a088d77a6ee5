package io.sqlgate.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.UriRouteMatch;
import io.sqlgate.hop.wire.ApiRoute;
import io.sqlgate.hop.wire.AuditQuery;

/**
 * Which API route a request goes to, decided the same way for the filters and the handler: the router's match to
 * the one handler, and only at the route's own path. The router also takes {@code /query/} and {@code /%71uery}
 * for {@code /query}; those are no route (404), so that no request reaches a handler past a filter that did not
 * see it as one.
 */
public final class ApiRoutes {
    /** The path variable of every tier's one handler, {@code @Post("/{route}")}. */
    public static final String VARIABLE = "route";

    private ApiRoutes() {
    }

    /** @return the route the request goes to, or null when it goes to no API route (health, metrics, 404, 405) */
    public static ApiRoute of(HttpRequest<?> request) {
        ApiRoute route = RouteAttributes.getRouteMatch(request)
                .filter(match -> match instanceof UriRouteMatch<?, ?>)
                .map(match -> ((UriRouteMatch<?, ?>) match).getVariableValues().get(VARIABLE))
                .map(value -> ApiRoute.ofPath(value.toString()))
                .orElse(null);
        return route != null && request.getPath().equals("/" + route.path()) ? route : null;
    }

    /**
     * Whether the request goes to the audit ledger's route ({@code /audit}, {@link AuditQuery#PATH}), at that path
     * exactly: on the internal tiers a hop like the API routes, on the gatekeeper a key's request like them.
     */
    public static boolean isAudit(HttpRequest<?> request) {
        return request.getPath().equals("/" + AuditQuery.PATH) && RouteAttributes.getRouteMatch(request).isPresent();
    }

    /** @throws ApiException 404 unless the request goes to {@code /audit} at that path exactly */
    public static void requireAudit(HttpRequest<?> request) {
        if (!isAudit(request)) {
            throw new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", "Page Not Found");
        }
    }

    /** @return the route the handler serves, or 404 when the path is not exactly one */
    public static ApiRoute required(HttpRequest<?> request) {
        ApiRoute route = of(request);
        if (route == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", "Page Not Found");
        }
        return route;
    }
}

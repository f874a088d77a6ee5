package io.sqlgate.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.UriRouteMatch;
import io.sqlgate.hop.wire.ApiRoute;

/**
 * Which API route a request was routed to, decided once by the router for the filters and the handler alike: a
 * filter that judged by the raw path would let {@code /query/} or {@code //query} past a check the handler's route
 * match then takes for granted.
 */
public final class ApiRoutes {
    /** The path variable of every tier's one handler, {@code @Post("/{route}")}. */
    public static final String VARIABLE = "route";

    private ApiRoutes() {
    }

    /** @return the route the request goes to, or null when it goes to no API handler (health, metrics, 404, 405) */
    public static ApiRoute of(HttpRequest<?> request) {
        return RouteAttributes.getRouteMatch(request)
                .filter(match -> match instanceof UriRouteMatch<?, ?>)
                .map(match -> ((UriRouteMatch<?, ?>) match).getVariableValues().get(VARIABLE))
                .map(value -> ApiRoute.ofPath(value.toString()))
                .orElse(null);
    }

    /** @return the route the handler serves: the request was routed to it, so it is one, or the path names none (404) */
    public static ApiRoute required(HttpRequest<?> request) {
        ApiRoute route = of(request);
        if (route == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", "Page Not Found");
        }
        return route;
    }
}

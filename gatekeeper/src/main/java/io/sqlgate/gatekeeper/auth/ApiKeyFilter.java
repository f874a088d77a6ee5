package io.sqlgate.gatekeeper.auth;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.sqlgate.http.AccessLogFilter;
import io.sqlgate.http.ApiRoutes;

/**
 * Who is calling, and whether they may call now, before the body is read: an unknown key is a 401, a key over its
 * rate a 429, a key the proxy told to wait a 429, and none of them costs the gatekeeper the up to 64 KB of a body
 * or a place among the requests it works on. The handler takes the key from {@link #key}.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class ApiKeyFilter implements Ordered {
    private static final String KEY_ATTRIBUTE = "sqlgate.apiKey";
    private final ApiKeys keys;
    private final RateLimiter rateLimiter;
    private final KeyBackoff backoff;

    ApiKeyFilter(ApiKeys keys, RateLimiter rateLimiter, KeyBackoff backoff) {
        this.keys = keys;
        this.rateLimiter = rateLimiter;
        this.backoff = backoff;
    }

    @RequestFilter
    public void authenticate(HttpRequest<?> request) {
        if (ApiRoutes.of(request) == null && !ApiRoutes.isAudit(request)) {
            return; // the API description, health and metrics need no key
        }
        ApiKey key = keys.authenticate(request.getHeaders().get(HttpHeaders.AUTHORIZATION));
        request.setAttribute(KEY_ATTRIBUTE, key);
        request.setAttribute(AccessLogFilter.KEY_NAME_ATTRIBUTE, key.name());
        rateLimiter.acquire(key);
        backoff.check(key);
    }

    /** The key this filter authenticated. */
    public static ApiKey key(HttpRequest<?> request) {
        return request.getAttribute(KEY_ATTRIBUTE, ApiKey.class)
                .orElseThrow(() -> new IllegalStateException("no API key: the key filter did not run"));
    }

    @Override
    public int getOrder() {
        return AccessLogFilter.ORDER + 2; // after the request has its id and its encoding was checked
    }
}

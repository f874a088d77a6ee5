package io.sqlgate.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.sqlgate.hop.wire.AuditQuery;
import io.sqlgate.hop.wire.QueryRequest;

/**
 * What the internal tiers do first with every request on an API route or the audit route: verify the previous tier's
 * signature over the body as it arrived ({@link InboundHop}), and read the signed body ({@link QueryBodies#readSigned},
 * {@link QueryBodies#readSignedAudit}), once.
 * A request that fails either is answered 401 or 400 here and reaches no handler; the handler takes the request
 * as read from {@link #query}.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = HopConfiguration.PREFIX + ".verify-secret")
public final class HopFilter implements Ordered {
    private static final String QUERY_ATTRIBUTE = "sqlgate.query";
    private static final String BODY_ATTRIBUTE = "sqlgate.body";
    private final InboundHop inbound;
    private final QueryBodies bodies;

    HopFilter(InboundHop inbound, QueryBodies bodies) {
        this.inbound = inbound;
        this.bodies = bodies;
    }

    @RequestFilter
    public void verify(HttpRequest<?> request, @Nullable @Body byte[] body) {
        boolean audit = ApiRoutes.isAudit(request);
        if (ApiRoutes.of(request) == null && !audit) {
            return; // health, metrics and unknown paths: not a hop
        }
        byte[] bytes = body == null ? new byte[0] : body;
        inbound.verify(request, bytes);
        request.setAttribute(QUERY_ATTRIBUTE, audit ? bodies.readSignedAudit(bytes) : bodies.readSigned(bytes));
        request.setAttribute(BODY_ATTRIBUTE, bytes);
    }

    /** The signed request as this filter read it. */
    public static QueryRequest query(HttpRequest<?> request) {
        return request.getAttribute(QUERY_ATTRIBUTE, QueryRequest.class)
                .orElseThrow(() -> new IllegalStateException("no signed request: the hop filter did not run"));
    }

    /** The signed search of the audit ledger as this filter read it. */
    public static AuditQuery auditQuery(HttpRequest<?> request) {
        return request.getAttribute(QUERY_ATTRIBUTE, AuditQuery.class)
                .orElseThrow(() -> new IllegalStateException("no signed search: the hop filter did not run"));
    }

    /** The signed body as it arrived, to be signed again for the next tier. */
    public static byte[] body(HttpRequest<?> request) {
        return request.getAttribute(BODY_ATTRIBUTE, byte[].class)
                .orElseThrow(() -> new IllegalStateException("no signed body: the hop filter did not run"));
    }

    @Override
    public int getOrder() {
        return AccessLogFilter.ORDER + 2; // after the request has its id and its encoding was checked
    }
}

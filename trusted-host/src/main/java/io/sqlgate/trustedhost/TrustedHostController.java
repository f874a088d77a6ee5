package io.sqlgate.trustedhost;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.client.RawHttpClientRegistry;
import io.micronaut.http.client.ServiceHttpClientConfiguration;
import io.sqlgate.hop.wire.ApiRoute;
import io.sqlgate.hop.wire.AuditQuery;
import io.sqlgate.hop.wire.QueryRequest;
import io.sqlgate.http.ApiRoutes;
import io.sqlgate.http.HopFilter;
import io.sqlgate.http.HopForwarder;
import io.sqlgate.http.InFlightLimit;
import io.sqlgate.http.OutboundHop;
import io.sqlgate.http.RequestIds;
import io.sqlgate.http.policy.RequestPolicy;
import jakarta.inject.Named;

import java.util.concurrent.CompletableFuture;

/**
 * Reachable only from the gatekeeper: every request carries the gatekeeper's signature, verified with the body
 * before this handler runs ({@link HopFilter}). It checks the statement for itself, with the policy of its own
 * configuration and the key role the gatekeeper signed ({@link RequestPolicy}: a lookup when the statement's digest
 * is known), refuses a signed statement class that differs from its own reading, then signs the request with its
 * own secret and forwards it to the proxy. Nothing here blocks, so requests stay on the event loop.
 */
@Controller
public final class TrustedHostController {
    private final RequestPolicy policy;
    private final HopForwarder proxy;
    private final InFlightLimit inFlight;

    TrustedHostController(RequestPolicy policy, RawHttpClientRegistry clients, @Named("proxy") ServiceHttpClientConfiguration proxyService,
                          OutboundHop outbound, InFlightLimit inFlight) {
        this.policy = policy;
        this.inFlight = inFlight;
        // The proxy's URL is micronaut.http.services.proxy.url (environment: PROXY_URL).
        this.proxy = new HopForwarder(clients, proxyService, outbound, "proxy");
    }

    /** @param route the route as the router matched it ({@link ApiRoutes}) */
    @Post(uri = "/{" + ApiRoutes.VARIABLE + "}", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<?>> relay(HttpRequest<?> request, @PathVariable(ApiRoutes.VARIABLE) String route) {
        ApiRoute apiRoute = ApiRoutes.required(request);
        QueryRequest query = HopFilter.query(request);
        String requestId = RequestIds.of(request);
        return inFlight.around(() -> policy.checkSigned(query, apiRoute, requestId)
                .thenCompose(checked -> proxy.forward(apiRoute.path(), HopFilter.body(request), requestId)));
    }

    /** A search of the audit ledger, relayed for an auditor's key only, the search checked here for itself. */
    @Post(uri = "/" + AuditQuery.PATH, consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<?>> relayAudit(HttpRequest<?> request) {
        ApiRoutes.requireAudit(request);
        AuditQuery search = HopFilter.auditQuery(request);
        search.requireAuditor();
        search.check();
        return inFlight.around(() -> proxy.forward(AuditQuery.PATH, HopFilter.body(request), RequestIds.of(request)));
    }
}

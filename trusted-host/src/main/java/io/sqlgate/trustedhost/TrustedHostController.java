package io.sqlgate.trustedhost;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.client.RawHttpClientRegistry;
import io.micronaut.http.client.ServiceHttpClientConfiguration;
import io.sqlgate.hop.forward.HopForwarder;
import io.sqlgate.hop.http.InFlightLimit;
import io.sqlgate.hop.http.QueryBodies;
import io.sqlgate.hop.http.RequestIds;
import io.sqlgate.hop.signing.InboundHop;
import io.sqlgate.hop.signing.OutboundHop;
import io.sqlgate.hop.sql.StatementClass;
import io.sqlgate.hop.wire.ApiRoute;
import io.sqlgate.hop.wire.QueryRequest;
import io.sqlgate.hop.wire.Strategy;
import jakarta.inject.Named;

import java.util.concurrent.CompletableFuture;

/**
 * Reachable only from the gatekeeper: every request must carry the gatekeeper's signature. It re-checks the
 * statement's class against the route (the class the gatekeeper signed into the body, or, without one, the
 * statement parsed here), signs the request with its own secret and forwards it to the proxy.
 * Nothing here blocks, so requests stay on the event loop.
 */
@Controller
public final class TrustedHostController {
    private final InboundHop inbound;
    private final QueryBodies bodies;
    private final HopForwarder proxy;
    private final InFlightLimit inFlight;

    TrustedHostController(InboundHop inbound, QueryBodies bodies, RawHttpClientRegistry clients,
                          @Named("proxy") ServiceHttpClientConfiguration proxyService, OutboundHop outbound, InFlightLimit inFlight) {
        this.inbound = inbound;
        this.bodies = bodies;
        this.inFlight = inFlight;
        // The proxy's URL is micronaut.http.services.proxy.url (environment: PROXY_URL).
        this.proxy = new HopForwarder(clients, proxyService, outbound, "proxy");
    }

    @Post(uri = "/query", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<?>> query(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return relay(request, body, ApiRoute.QUERY);
    }

    @Post(uri = "/populate_tables", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<?>> populateTables(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return relay(request, body, ApiRoute.POPULATE_TABLES);
    }

    @Post(uri = "/fetch_direct", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<?>> fetchDirect(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return relay(request, body, ApiRoute.FETCH_DIRECT);
    }

    @Post(uri = "/fetch_random", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<?>> fetchRandom(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return relay(request, body, ApiRoute.FETCH_RANDOM);
    }

    @Post(uri = "/fetch_customized", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<?>> fetchCustomized(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return relay(request, body, ApiRoute.FETCH_CUSTOMIZED);
    }

    private CompletableFuture<HttpResponse<?>> relay(HttpRequest<?> request, byte[] body, ApiRoute route) {
        return inFlight.around(() -> check(request, body, route));
    }

    private CompletableFuture<HttpResponse<?>> check(HttpRequest<?> request, byte[] body, ApiRoute route) {
        byte[] bytes = body == null ? new byte[0] : body;
        inbound.verify(request, bytes);
        QueryRequest query = bodies.readSigned(bytes);
        if (route == ApiRoute.QUERY) {
            Strategy.parse(query.strategy());
        }
        route.check(StatementClass.typeOf(StatementClass.resolve(query.statementClass(), query.sql())));
        return proxy.forward(route.path(), bytes, RequestIds.of(request));
    }
}

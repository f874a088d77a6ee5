package io.sqlgate.gatekeeper.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.client.RawHttpClientRegistry;
import io.micronaut.http.client.ServiceHttpClientConfiguration;
import io.micronaut.json.JsonMapper;
import io.sqlgate.gatekeeper.GatekeeperConfiguration;
import io.sqlgate.gatekeeper.auth.ApiKey;
import io.sqlgate.gatekeeper.auth.ApiKeyFilter;
import io.sqlgate.gatekeeper.auth.KeyBackoff;
import io.sqlgate.hop.Refusal;
import io.sqlgate.hop.wire.ApiRoute;
import io.sqlgate.hop.wire.AuditQuery;
import io.sqlgate.hop.wire.QueryRequest;
import io.sqlgate.http.ApiException;
import io.sqlgate.http.ApiRoutes;
import io.sqlgate.http.HopForwarder;
import io.sqlgate.http.InFlightLimit;
import io.sqlgate.http.OutboundHop;
import io.sqlgate.http.QueryBodies;
import io.sqlgate.http.RequestIds;
import io.sqlgate.http.policy.RequestPolicy;
import io.sqlgate.sql.Role;
import io.sqlgate.sql.StatementClass;
import jakarta.inject.Named;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

/**
 * The public API, one handler for every route ({@link ApiRoute}). The key was authenticated and rate-limited before
 * the body was read ({@link ApiKeyFilter}); here the body is read, the statement parsed (a lookup when its digest is
 * known, off the event loop otherwise) and checked against the policy ({@link RequestPolicy}) before anything
 * reaches the trusted host. What is forwarded is the request as the gatekeeper understood it, re-serialised, with
 * the statement printed back from its parsed tree, so that neither a later tier nor the database can read it
 * differently from the way it was checked; the statement's class and the key's name and role travel signed with it.
 */
@Controller
public final class GatekeeperController {
    private final KeyBackoff backoff;
    private final QueryBodies bodies;
    private final RequestPolicy policy;
    private final InFlightLimit inFlight;
    private final JsonMapper json;
    private final HopForwarder trustedHost;
    private final int maxSqlLength;

    GatekeeperController(KeyBackoff backoff, QueryBodies bodies, RequestPolicy policy, InFlightLimit inFlight, JsonMapper json,
                         RawHttpClientRegistry clients, @Named("trusted-host") ServiceHttpClientConfiguration trustedHostService,
                         OutboundHop outbound, GatekeeperConfiguration configuration) {
        this.backoff = backoff;
        this.bodies = bodies;
        this.policy = policy;
        this.inFlight = inFlight;
        this.json = json;
        // The trusted host's URL is micronaut.http.services.trusted-host.url (environment: TRUSTED_HOST_URL).
        this.trustedHost = new HopForwarder(clients, trustedHostService, outbound, "trusted host");
        this.maxSqlLength = configuration.maxSqlLength();
    }

    /** @param route the route as the router matched it ({@link ApiRoutes}) */
    @Post(uri = "/{" + ApiRoutes.VARIABLE + "}", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<?>> handle(HttpRequest<?> request, @PathVariable(ApiRoutes.VARIABLE) String route, @Nullable @Body byte[] body) {
        ApiRoute apiRoute = ApiRoutes.required(request);
        return inFlight.around(() -> check(request, body, apiRoute));
    }

    /**
     * A search of the audit ledger, for an auditor's key only (readers and writers get 403): the query parameters
     * checked here ({@link AuditQuery#check}), and forwarded signed with the key's name and role.
     */
    @Get(uri = "/" + AuditQuery.PATH, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<?>> audit(HttpRequest<?> request) {
        ApiRoutes.requireAudit(request);
        ApiKey key = ApiKeyFilter.key(request);
        if (key.role() != Role.AUDITOR) {
            throw Refusal.forbidden("ROLE_FORBIDDEN", "Only auditor keys read the audit ledger; this key is a " + key.role().wireName()
                    + "'s");
        }
        AuditQuery search = AuditQuery.ofParameters(request.getParameters().asMap()).signedFor(key.name(), key.role().wireName());
        search.check();
        return inFlight.around(() -> trustedHost.forward(AuditQuery.PATH, serialise(search), RequestIds.of(request))
                .thenApply(answer -> {
                    backoff.observe(key, answer);
                    return answer;
                }));
    }

    private CompletableFuture<HttpResponse<?>> check(HttpRequest<?> request, byte[] body, ApiRoute route) {
        ApiKey key = ApiKeyFilter.key(request);
        QueryRequest query = bodies.readPublic(body);
        if (query.sql() != null && query.sql().length() > maxSqlLength) {
            throw new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "SQL_TOO_LONG",
                    "The SQL is " + query.sql().length() + " characters long; the limit is " + maxSqlLength);
        }
        String requestId = RequestIds.of(request);
        return policy.check(query, key.name(), key.role(), route, requestId).thenCompose(checked -> {
            QueryRequest signed = new QueryRequest(checked.statement().canonicalSql(), query.params(),
                    route == ApiRoute.QUERY ? checked.strategy().wireName() : null,
                    StatementClass.of(checked.statement()).wireName(), key.name(), key.role().wireName());
            return trustedHost.forward(route.path(), serialise(signed), requestId);
        }).thenApply(answer -> {
            backoff.observe(key, answer);
            return answer;
        });
    }

    private byte[] serialise(Object query) {
        try {
            return json.writeValueAsBytes(query);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

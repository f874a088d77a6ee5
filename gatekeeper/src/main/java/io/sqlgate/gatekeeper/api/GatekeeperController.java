package io.sqlgate.gatekeeper.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.client.RawHttpClientRegistry;
import io.micronaut.http.client.ServiceHttpClientConfiguration;
import io.micronaut.json.JsonMapper;
import io.sqlgate.gatekeeper.GatekeeperConfiguration;
import io.sqlgate.gatekeeper.auth.ApiKey;
import io.sqlgate.gatekeeper.auth.ApiKeys;
import io.sqlgate.gatekeeper.auth.KeyBackoff;
import io.sqlgate.gatekeeper.auth.RateLimiter;
import io.sqlgate.gatekeeper.validation.SqlPolicy;
import io.sqlgate.gatekeeper.validation.StatementChecker;
import io.sqlgate.hop.forward.HopForwarder;
import io.sqlgate.hop.http.AccessLogFilter;
import io.sqlgate.hop.http.ApiException;
import io.sqlgate.hop.http.InFlightLimit;
import io.sqlgate.hop.http.QueryBodies;
import io.sqlgate.hop.http.RequestIds;
import io.sqlgate.hop.signing.OutboundHop;
import io.sqlgate.hop.sql.StatementClass;
import io.sqlgate.hop.wire.ApiRoute;
import io.sqlgate.hop.wire.QueryRequest;
import io.sqlgate.hop.wire.Strategy;
import jakarta.inject.Named;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The public API. Each request is authenticated, rate-limited, parsed (off the event loop, see
 * {@link StatementChecker}) and checked against the policy before
 * anything reaches the trusted host; what is forwarded is the request as the gatekeeper understood it,
 * re-serialised, with the statement printed back from its parsed tree, so that neither a later tier nor the
 * database can read it differently from the way it was checked.
 */
@Controller
public final class GatekeeperController {
    private final ApiKeys keys;
    private final RateLimiter rateLimiter;
    private final KeyBackoff backoff;
    private final QueryBodies bodies;
    private final SqlPolicy policy;
    private final StatementChecker checker;
    private final InFlightLimit inFlight;
    private final JsonMapper json;
    private final HopForwarder trustedHost;
    private final int maxSqlLength;

    GatekeeperController(ApiKeys keys, RateLimiter rateLimiter, KeyBackoff backoff, QueryBodies bodies, SqlPolicy policy,
                         StatementChecker checker, InFlightLimit inFlight, JsonMapper json, RawHttpClientRegistry clients,
                         @Named("trusted-host") ServiceHttpClientConfiguration trustedHostService, OutboundHop outbound,
                         GatekeeperConfiguration configuration) {
        this.keys = keys;
        this.rateLimiter = rateLimiter;
        this.backoff = backoff;
        this.bodies = bodies;
        this.policy = policy;
        this.checker = checker;
        this.inFlight = inFlight;
        this.json = json;
        // The trusted host's URL is micronaut.http.services.trusted-host.url (environment: TRUSTED_HOST_URL).
        this.trustedHost = new HopForwarder(clients, trustedHostService, outbound, "trusted host");
        this.maxSqlLength = configuration.maxSqlLength();
    }

    @Post(uri = "/query", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<?>> query(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return handle(request, body, ApiRoute.QUERY);
    }

    @Post(uri = "/populate_tables", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<?>> populateTables(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return handle(request, body, ApiRoute.POPULATE_TABLES);
    }

    @Post(uri = "/fetch_direct", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<?>> fetchDirect(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return handle(request, body, ApiRoute.FETCH_DIRECT);
    }

    @Post(uri = "/fetch_random", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<?>> fetchRandom(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return handle(request, body, ApiRoute.FETCH_RANDOM);
    }

    @Post(uri = "/fetch_customized", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<?>> fetchCustomized(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return handle(request, body, ApiRoute.FETCH_CUSTOMIZED);
    }

    private CompletableFuture<HttpResponse<?>> handle(HttpRequest<?> request, byte[] body, ApiRoute route) {
        return inFlight.around(() -> check(request, body, route));
    }

    private CompletableFuture<HttpResponse<?>> check(HttpRequest<?> request, byte[] body, ApiRoute route) {
        ApiKey key = keys.authenticate(request.getHeaders().get(HttpHeaders.AUTHORIZATION));
        request.setAttribute(AccessLogFilter.KEY_NAME_ATTRIBUTE, key.name());
        rateLimiter.acquire(key);
        backoff.check(key);
        QueryRequest query = bodies.readPublic(body);
        if (query.sql() != null && query.sql().length() > maxSqlLength) {
            throw new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "SQL_TOO_LONG",
                    "The SQL is " + query.sql().length() + " characters long; the limit is " + maxSqlLength);
        }
        String strategy = null;
        if (route == ApiRoute.QUERY) {
            strategy = Strategy.parse(query.strategy()).wireName();
        }
        String checkedStrategy = strategy;
        return checker.parse(key, query.sql()).thenCompose(statement -> {
            policy.check(statement, key.role(), route);
            if (query.paramsOrEmpty().size() != statement.placeholders()) {
                throw ApiException.badRequest("PARAMS_INVALID", "The statement has " + statement.placeholders()
                        + " ? placeholder(s); " + query.paramsOrEmpty().size() + " value(s) were sent in params");
            }
            // What goes on is the statement printed back from the tree that was checked, never the client's text, so
            // the database runs what the policy saw. Its class travels in the signed body, so that the later tiers
            // need not parse it again.
            QueryRequest checked = new QueryRequest(statement.canonicalSql(), query.params(), checkedStrategy,
                    StatementClass.of(statement).wireName(), key.name(), key.role().name().toLowerCase(Locale.ROOT));
            return trustedHost.forward(route.path(), serialise(checked), RequestIds.of(request));
        }).thenApply(answer -> {
            backoff.observe(key, answer);
            return answer;
        });
    }

    private byte[] serialise(QueryRequest query) {
        try {
            return json.writeValueAsBytes(query);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.sqlgate.proxy.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.sqlgate.hop.http.InFlightLimit;
import io.sqlgate.hop.http.Permit;
import io.sqlgate.hop.http.QueryBodies;
import io.sqlgate.hop.signing.InboundHop;
import io.sqlgate.hop.sql.ParsedStatement;
import io.sqlgate.hop.sql.SqlParser;
import io.sqlgate.hop.sql.StatementClass;
import io.sqlgate.hop.sql.StatementType;
import io.sqlgate.hop.wire.ApiRoute;
import io.sqlgate.hop.wire.HopHeaders;
import io.sqlgate.hop.wire.PopulateResult;
import io.sqlgate.hop.wire.QueryRequest;
import io.sqlgate.hop.wire.ReadResult;
import io.sqlgate.hop.wire.WriteResult;
import io.sqlgate.proxy.limits.KeyBulkheads;
import io.sqlgate.proxy.routing.Route;
import io.sqlgate.hop.wire.Strategy;

import java.util.List;
import java.util.function.Function;

/**
 * The proxy's routes: the original's {@code /populate_tables} and {@code /fetch_*}, and {@code /query}.
 * Every request must carry the trusted host's signature. A statement is classified by the class the gatekeeper
 * signed into the body, or, when the body carries none, by parsing it here; then what runs is the statement
 * printed back from the parsed tree, as the gatekeeper does.
 * JDBC blocks, so requests run on the statements executor, never on the event loop.
 */
@Controller
@ExecuteOn(ProxyController.STATEMENTS)
public final class ProxyController {
    /** The executor statements run on: {@code micronaut.executors.statements}, a fixed number of threads. */
    static final String STATEMENTS = "statements";
    private final InboundHop inbound;
    private final QueryBodies bodies;
    private final StatementService statements;
    private final KeyBulkheads bulkheads;
    private final InFlightLimit inFlight;

    ProxyController(InboundHop inbound, QueryBodies bodies, StatementService statements, KeyBulkheads bulkheads,
                    InFlightLimit inFlight) {
        this.inbound = inbound;
        this.bodies = bodies;
        this.statements = statements;
        this.bulkheads = bulkheads;
        this.inFlight = inFlight;
    }

    @Post(uri = "/query", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> query(HttpRequest<?> request, @Nullable @Body byte[] body) {
        QueryRequest query = accept(request, body);
        Strategy strategy = Strategy.parse(query.strategy());
        StatementClass statement = classify(query, ApiRoute.QUERY);
        return limited(query, lease -> {
            if (statement.type() == StatementType.SELECT) {
                StatementService.ReadOutcome read = statements.select(statement.read(), query.sql(), query.paramsOrEmpty(), strategy, lease);
                return withRoute(HttpResponse.ok(new ReadResult(read.rows().columns(), read.rows().rows(), read.route().node().name(),
                        read.route().strategy(), read.rows().truncated(), read.route().fallback())), read.route(), read.rows().truncated());
            }
            StatementService.WriteOutcome write = statements.write(query.sql(), query.paramsOrEmpty(), lease);
            return withRoute(HttpResponse.ok(new WriteResult(write.written().affectedRows(), write.written().generatedKeys(),
                    write.route().node().name())), write.route(), false);
        });
    }

    @Post(uri = "/populate_tables", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<PopulateResult> populateTables(HttpRequest<?> request, @Nullable @Body byte[] body) {
        QueryRequest query = accept(request, body);
        classify(query, ApiRoute.POPULATE_TABLES);
        return limited(query, lease -> {
            StatementService.WriteOutcome write = statements.write(query.sql(), query.paramsOrEmpty(), lease);
            return withRoute(HttpResponse.ok(new PopulateResult("Query executed successfully", write.written().affectedRows())),
                    write.route(), false);
        });
    }

    @Post(uri = "/fetch_direct", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<List<List<Object>>> fetchDirect(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return fetch(request, body, ApiRoute.FETCH_DIRECT);
    }

    @Post(uri = "/fetch_random", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<List<List<Object>>> fetchRandom(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return fetch(request, body, ApiRoute.FETCH_RANDOM);
    }

    @Post(uri = "/fetch_customized", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<List<List<Object>>> fetchCustomized(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return fetch(request, body, ApiRoute.FETCH_CUSTOMIZED);
    }

    /** The original's read routes answer a bare array of rows; the route names the strategy. */
    private HttpResponse<List<List<Object>>> fetch(HttpRequest<?> request, byte[] body, ApiRoute route) {
        QueryRequest query = accept(request, body);
        StatementClass statement = classify(query, route);
        return limited(query, lease -> {
            StatementService.ReadOutcome read = statements.select(statement.read(), query.sql(), query.paramsOrEmpty(), route.strategy(), lease);
            return withRoute(HttpResponse.ok(read.rows().rows()), read.route(), read.rows().truncated());
        });
    }

    /** Runs a statement in a place of the tier's ({@link InFlightLimit}) and under a lease of its key ({@link KeyBulkheads}). */
    private <T> T limited(QueryRequest query, Function<KeyBulkheads.Lease, T> statement) {
        try (Permit place = inFlight.enter(); KeyBulkheads.Lease lease = bulkheads.enter(query)) {
            return statement.apply(lease);
        }
    }

    /** The class the gatekeeper signed into the body, or the statement parsed here when the body has none. */
    private static StatementClass classify(QueryRequest query, ApiRoute route) {
        StatementClass statement = StatementClass.resolve(query.statementClass(), query.sql());
        route.check(StatementClass.typeOf(statement));
        return statement;
    }

    private QueryRequest accept(HttpRequest<?> request, byte[] body) {
        inbound.verify(request, body == null ? new byte[0] : body);
        QueryRequest query = bodies.readSigned(body);
        if (query.statementClass() != null) {
            return query; // the gatekeeper checked it and sent the text printed back from its tree
        }
        // Parsed here: what runs is likewise the statement printed back from the tree, not the text as sent.
        ParsedStatement parsed = SqlParser.parse(query.sql());
        StatementClass statementClass = StatementClass.of(parsed);
        return statementClass == null ? query : new QueryRequest(parsed.canonicalSql(), query.params(), query.strategy(),
                statementClass.wireName(), query.key(), query.role());
    }

    private static <T> MutableHttpResponse<T> withRoute(MutableHttpResponse<T> response, Route route, boolean truncated) {
        response.header(HopHeaders.SERVED_BY, route.node().name()).header(HopHeaders.STRATEGY, route.strategy());
        if (route.fallback()) {
            response.header(HopHeaders.FALLBACK, "true");
        }
        if (truncated) {
            response.header(HopHeaders.TRUNCATED, "true");
        }
        return response;
    }
}

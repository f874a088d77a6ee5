package io.sqlgate.proxy.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.sqlgate.hop.wire.ApiRoute;
import io.sqlgate.hop.wire.AuditPage;
import io.sqlgate.hop.wire.AuditQuery;
import io.sqlgate.hop.wire.HopHeaders;
import io.sqlgate.hop.wire.PopulateResult;
import io.sqlgate.hop.wire.QueryRequest;
import io.sqlgate.hop.wire.ReadResult;
import io.sqlgate.hop.wire.WriteResult;
import io.sqlgate.http.ApiRoutes;
import io.sqlgate.http.HopFilter;
import io.sqlgate.http.InFlightLimit;
import io.sqlgate.http.Permit;
import io.sqlgate.http.RequestIds;
import io.sqlgate.http.policy.RequestPolicy;
import io.sqlgate.proxy.audit.AuditLedger;
import io.sqlgate.proxy.limits.KeyBulkheads;
import io.sqlgate.proxy.routing.Route;
import io.sqlgate.proxy.stats.DigestStatistics;
import io.sqlgate.sql.ParsedStatement;
import io.sqlgate.sql.StatementType;

import java.util.concurrent.CompletionException;

/**
 * The proxy's one handler, for every route ({@link ApiRoute}): the original's {@code /populate_tables} and
 * {@code /fetch_*}, and {@code /query}. Every request carries the trusted host's signature, verified with the body
 * before this handler runs ({@link HopFilter}). The proxy classifies the statement itself, with the policy of its
 * own configuration ({@link RequestPolicy}: a lookup when the statement's digest is known), refuses a signed class
 * that differs from its own reading, and runs the statement printed back from its own parsed tree: what runs is
 * what this tier checked. JDBC blocks, so requests run on the statements executor, never on the event loop.
 */
@Controller
@ExecuteOn(ProxyController.STATEMENTS)
public final class ProxyController {
    /** The executor statements run on: {@code micronaut.executors.statements}, a fixed number of threads. */
    static final String STATEMENTS = "statements";
    private final RequestPolicy policy;
    private final StatementService statements;
    private final KeyBulkheads bulkheads;
    private final InFlightLimit inFlight;
    private final DigestStatistics digests;

    ProxyController(RequestPolicy policy, StatementService statements, KeyBulkheads bulkheads, InFlightLimit inFlight,
                    DigestStatistics digests) {
        this.digests = digests;
        this.policy = policy;
        this.statements = statements;
        this.bulkheads = bulkheads;
        this.inFlight = inFlight;
    }

    /** @param route the route as the router matched it ({@link ApiRoutes}) */
    @Post(uri = "/{" + ApiRoutes.VARIABLE + "}", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> handle(HttpRequest<?> request, @PathVariable(ApiRoutes.VARIABLE) String route) {
        ApiRoute apiRoute = ApiRoutes.required(request);
        QueryRequest query = HopFilter.query(request);
        RequestPolicy.Checked checked;
        try {
            checked = policy.checkSigned(query, apiRoute, RequestIds.of(request)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException refusal ? refusal : e;
        }
        ParsedStatement statement = checked.statement();
        long started = System.nanoTime();
        try {
            return run(request, apiRoute, query, checked, started);
        } catch (RuntimeException e) {
            digests.record(statement.digest(), null, null, 0, System.nanoTime() - started, true);
            throw e;
        }
    }

    /**
     * A search of the audit ledger, for an auditor's key only: the search as the gatekeeper signed it, checked here
     * again, answered from the writer.
     */
    @Post(uri = "/" + AuditQuery.PATH, consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public AuditPage audit(HttpRequest<?> request) {
        ApiRoutes.requireAudit(request);
        AuditQuery search = HopFilter.auditQuery(request);
        search.requireAuditor();
        AuditQuery.Checked checked = search.check();
        try (Permit place = inFlight.enter();
             KeyBulkheads.Lease lease = bulkheads.enter(new QueryRequest(null, null, null, null, search.caller(), search.role()))) {
            return statements.searchLedger(checked, RequestIds.of(request), lease);
        }
    }

    private HttpResponse<?> run(HttpRequest<?> request, ApiRoute apiRoute, QueryRequest query, RequestPolicy.Checked checked, long started) {
        ParsedStatement statement = checked.statement();
        try (Permit place = inFlight.enter(); KeyBulkheads.Lease lease = bulkheads.enter(query)) {
            if (statement.type() != StatementType.SELECT) {
                AuditLedger.WriteRecord record = new AuditLedger.WriteRecord(RequestIds.of(request), query.key(), apiRoute.path(),
                        statement.digest(), policy.qualified(statement.tables()), query.paramsOrEmpty());
                StatementService.WriteOutcome write = statements.write(statement.canonicalSql(), query.paramsOrEmpty(), record, lease);
                digests.record(statement.digest(), write.route().node().name(), write.route().strategy(), write.written().affectedRows(),
                        System.nanoTime() - started, false);
                Object answer = apiRoute == ApiRoute.POPULATE_TABLES
                        ? new PopulateResult("Query executed successfully", write.written().affectedRows())
                        : new WriteResult(write.written().affectedRows(), write.written().generatedKeys(), write.route().node().name());
                return withRoute(HttpResponse.ok(answer), write.route(), false);
            }
            StatementService.ReadOutcome read = statements.select(statement.read(), statement.canonicalSql(), query.paramsOrEmpty(),
                    checked.strategy(), lease);
            digests.record(statement.digest(), read.route().node().name(), read.route().strategy(), read.rows().rows().size(),
                    System.nanoTime() - started, false);
            // The original's read routes answer a bare array of rows; /query answers the rows with their columns.
            Object answer = apiRoute.isFetch() ? read.rows().rows() : new ReadResult(read.rows().columns(), read.rows().rows(),
                    read.route().node().name(), read.route().strategy(), read.rows().truncated(), read.route().fallback());
            return withRoute(HttpResponse.ok(answer), read.route(), read.rows().truncated());
        }
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

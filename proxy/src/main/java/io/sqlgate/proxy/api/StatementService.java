package io.sqlgate.proxy.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.http.HttpStatus;
import io.sqlgate.http.ApiException;
import io.sqlgate.proxy.ProxyConfiguration;
import io.sqlgate.hop.Texts;
import io.sqlgate.hop.wire.AuditPage;
import io.sqlgate.hop.wire.AuditQuery;
import io.sqlgate.http.policy.PolicyConfiguration;
import io.sqlgate.proxy.audit.AuditEntry;
import io.sqlgate.proxy.audit.AuditLedger;
import io.sqlgate.proxy.nodes.BorrowedConnection;
import io.sqlgate.proxy.nodes.DatabaseErrors;
import io.sqlgate.proxy.limits.KeyBulkheads;
import io.sqlgate.proxy.nodes.NodePools;
import io.sqlgate.proxy.query.QueryExecutor;
import io.sqlgate.proxy.query.QueryExecutor.NodeFailure;
import io.sqlgate.proxy.query.Rows;
import io.sqlgate.proxy.query.Written;
import io.sqlgate.proxy.routing.Route;
import io.sqlgate.proxy.routing.Router;
import io.sqlgate.hop.wire.Strategy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Routes and runs one classified statement. A read whose node failed is tried once more on another node (reads are
 * safe to repeat; a direct read on the writer elected next). A write is repeated only when it cannot have committed:
 * once, on the writer the monitor elects after the failed one, when its node failed before the commit was sent (or,
 * with the ledger off, before the statement was); a write whose connection failed after that may have committed,
 * and is answered {@code 503 WRITE_OUTCOME_UNKNOWN}, never repeated.
 */
@Singleton
final class StatementService {
    private static final Logger LOG = LoggerFactory.getLogger(StatementService.class);
    private final Router router;
    private final QueryExecutor executor;
    private final NodePools pools;
    private final MeterRegistry meters;
    private final Duration writerWait;
    private final AuditLedger ledger;
    /** The policy's database, which qualifies a table a ledger search names alone. */
    private final String database;
    /** The policy's tables, qualified: the only ones a write, and so an entry, can name. */
    private final java.util.Set<String> allowedTables;
    private final int queryTimeoutSeconds;
    /** One timer per node, kind, strategy and outcome, registered once rather than looked up per statement. */
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    StatementService(Router router, QueryExecutor executor, NodePools pools, MeterRegistry meters, ProxyConfiguration configuration,
                     AuditLedger ledger, PolicyConfiguration policy) {
        this.ledger = ledger;
        this.database = policy.database();
        this.allowedTables = policy.allowedTables().stream().map(String::trim)
                .map(table -> table.contains(".") ? table : database + "." + table).collect(java.util.stream.Collectors.toSet());
        this.queryTimeoutSeconds = (int) Math.max(1, configuration.database().queryTimeout().toSeconds());
        this.writerWait = configuration.database().connectionTimeout();
        this.router = router;
        this.executor = executor;
        this.pools = pools;
        this.meters = meters;
    }

    record ReadOutcome(Route route, Rows rows) {
    }

    record WriteOutcome(Route route, Written written) {
    }

    /** A SELECT: by its strategy when it is a plain read, on the writer when it locks rows. */
    ReadOutcome select(boolean plainRead, String sql, List<Object> params, Strategy strategy, KeyBulkheads.Lease lease) {
        Route route = plainRead ? router.forRead(strategy, null) : router.forWrite();
        try {
            return new ReadOutcome(route, timed(route, "read", () -> executor.read(pools.node(route.node().name()), sql, params, lease)));
        } catch (NodeFailure failure) {
            if (!failure.nodeFailed() || !plainRead) {
                throw failure.answer();
            }
            // a direct read is the writer's: tried again on the next one, as a write would be
            Route retry = strategy == Strategy.DIRECT ? awaitAnotherWriter(route, failure, strategy.wireName())
                    : router.forRead(strategy, route.node().name());
            try {
                return new ReadOutcome(retry, timed(retry, "read", () -> executor.read(pools.node(retry.node().name()), sql, params, lease)));
            } catch (NodeFailure second) {
                throw second.answer();
            }
        }
    }

    /**
     * A search of the audit ledger, on the writer, which holds every committed entry.
     *
     * @throws ApiException 503 AUDIT_UNAVAILABLE when the writer cannot answer it (the reason in the log)
     */
    AuditPage searchLedger(AuditQuery.Checked search, String requestId, KeyBulkheads.Lease lease) {
        String table = search.table() == null || search.table().contains(".") ? search.table() : database + "." + search.table();
        if (table != null && !allowedTables.contains(table)) {
            throw ApiException.badRequest("AUDIT_QUERY_INVALID", "table " + Texts.clip(table, 130) + " is none of the policy's tables, "
                    + "whose writes the ledger holds");
        }
        Route route = router.forWrite();
        String node = route.node().name();
        List<AuditEntry> found;
        // Like a client's statement: its time counts against its key's budget (which may cancel it), and the session
        // is reset after it, whatever the repository left on it.
        try (BorrowedConnection borrowed = pools.node(node).borrow(true)) {
            try {
                found = ledger.search(borrowed.connection(), search, table, statement -> {
                    statement.setQueryTimeout(queryTimeoutSeconds);
                    lease.running(node, statement);
                });
            } finally {
                lease.finished();
            }
        } catch (SQLException | RuntimeException e) {
            if (lease.cancelledForBudget()) {
                throw lease.exhausted();
            }
            SQLException sql = DatabaseErrors.sqlCause(e);
            if (sql != null && DatabaseErrors.classify(sql) == DatabaseErrors.Kind.TIMEOUT) {
                throw new ApiException(HttpStatus.GATEWAY_TIMEOUT, "QUERY_TIMEOUT", "The search of the audit ledger ran past the query"
                        + " timeout; narrow it (a requestId, a keyName, or a time range)");
            }
            LOG.warn("audit ledger search failed", kv("node", node), kv("requestId", requestId),
                    kv("reason", sql != null ? DatabaseErrors.describe(sql) : Texts.firstLine(e.toString(), "?")));
            throw ApiException.retryLater(HttpStatus.SERVICE_UNAVAILABLE, "AUDIT_UNAVAILABLE", "The audit ledger could not be read on "
                    + node + "; retry in 1 s", 1);
        }
        boolean more = found.size() > search.limit();
        List<AuditEntry> page = more ? found.subList(0, search.limit()) : found;
        AuditEntry last = more ? page.get(page.size() - 1) : null;
        return new AuditPage(page.stream().map(StatementService::view).toList(), last == null ? null
                : new AuditQuery.Cursor(last.recordedAt().toInstant(ZoneOffset.UTC), last.id()).encode());
    }

    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    private static AuditPage.Entry view(AuditEntry entry) {
        return new AuditPage.Entry(entry.id(), INSTANT.format(entry.recordedAt()), entry.requestId(), entry.keyName(), entry.route(),
                entry.digest(), entry.digestText(), entry.tablesTouched().isEmpty() ? List.of() : List.of(entry.tablesTouched().split(",")),
                entry.affectedRows(), entry.node(), entry.params());
    }

    WriteOutcome write(String sql, List<Object> params, AuditLedger.WriteRecord record, KeyBulkheads.Lease lease) {
        Route route = router.forWrite();
        try {
            return new WriteOutcome(route, timed(route, "write", () -> executor.write(pools.node(route.node().name()), sql, params, record, lease)));
        } catch (NodeFailure failure) {
            if (failure.outcomeUnknown() || !failure.nodeFailed()) {
                throw answer(route, failure);
            }
            Route retry = awaitAnotherWriter(route, failure, Route.WRITER);
            try {
                return new WriteOutcome(retry, timed(retry, "write", () -> executor.write(pools.node(retry.node().name()), sql, params, record, lease)));
            } catch (NodeFailure second) {
                throw answer(retry, second);
            }
        }
    }

    /** A failed write's answer: the node's error, or, when the write may have committed, that its outcome is unknown. */
    private ApiException answer(Route route, NodeFailure failure) {
        if (!failure.outcomeUnknown()) {
            return failure.answer();
        }
        meters.counter("sqlgate.proxy.write_outcome_unknown", "node", route.node().name()).increment();
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "WRITE_OUTCOME_UNKNOWN", "The writer " + route.node().name()
                + " failed while the write ran: it may or may not have committed, so it was not repeated; check before"
                + " sending it again. " + failure.answer().getMessage());
    }

    /** The writer elected after the {@code failed} one, waiting for the monitor at most the pool's connection timeout. */
    private Route awaitAnotherWriter(Route failed, NodeFailure failure, String strategy) {
        try {
            return router.forWriterAfter(failed.node().name(), writerWait, strategy).orElseThrow(failure::answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure.answer();
        }
    }

    private interface Work<T> {
        T run() throws NodeFailure;
    }

    private <T> T timed(Route route, String kind, Work<T> work) throws NodeFailure {
        long started = System.nanoTime();
        String outcome = "error";
        try {
            T result = work.run();
            outcome = "ok";
            return result;
        } finally {
            timer(new TimerKey(route.node().name(), kind, route.strategy(), outcome))
                    .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private record TimerKey(String node, String kind, String strategy, String outcome) {
    }

    private Timer timer(TimerKey key) {
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, k -> Timer.builder("sqlgate.proxy.statements").description("Statements run on each node")
                    .tag("node", k.node()).tag("kind", k.kind()).tag("strategy", k.strategy()).tag("outcome", k.outcome())
                    .register(meters));
        }
        return timer;
    }
}

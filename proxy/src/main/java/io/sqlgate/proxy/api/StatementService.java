package io.sqlgate.proxy.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sqlgate.hop.sql.ParsedStatement;
import io.sqlgate.proxy.nodes.NodePools;
import io.sqlgate.proxy.query.QueryExecutor;
import io.sqlgate.proxy.query.QueryExecutor.NodeFailure;
import io.sqlgate.proxy.query.Rows;
import io.sqlgate.proxy.query.Written;
import io.sqlgate.proxy.routing.Route;
import io.sqlgate.proxy.routing.Router;
import io.sqlgate.hop.wire.Strategy;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Routes and runs one classified statement. A read whose node turns out to be unreachable is tried once
 * more on another node (reads are safe to repeat); a write is never repeated.
 */
@Singleton
final class StatementService {
    private final Router router;
    private final QueryExecutor executor;
    private final NodePools pools;
    private final MeterRegistry meters;

    StatementService(Router router, QueryExecutor executor, NodePools pools, MeterRegistry meters) {
        this.router = router;
        this.executor = executor;
        this.pools = pools;
        this.meters = meters;
    }

    record ReadOutcome(Route route, Rows rows) {
    }

    record WriteOutcome(Route route, Written written) {
    }

    /** A SELECT: by its strategy when it is a plain read, on the primary when it locks rows. */
    ReadOutcome select(ParsedStatement statement, String sql, List<Object> params, Strategy strategy) {
        Route route = statement.read() ? router.forRead(strategy, null) : router.forWrite();
        try {
            return new ReadOutcome(route, timed(route, "read", () -> executor.read(pools.node(route.node().name()), sql, params)));
        } catch (NodeFailure failure) {
            if (!failure.unreachable() || !statement.read()) {
                throw failure.answer();
            }
            Route retry = router.forRead(strategy, route.node().name());
            try {
                return new ReadOutcome(retry, timed(retry, "read", () -> executor.read(pools.node(retry.node().name()), sql, params)));
            } catch (NodeFailure second) {
                throw second.answer();
            }
        }
    }

    WriteOutcome write(String sql, List<Object> params) {
        Route route = router.forWrite();
        try {
            return new WriteOutcome(route, timed(route, "write", () -> executor.write(pools.node(route.node().name()), sql, params)));
        } catch (NodeFailure failure) {
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
            Timer.builder("sqlgate.proxy.statements").description("Statements run on each node")
                    .tag("node", route.node().name()).tag("kind", kind).tag("strategy", route.strategy())
                    .tag("outcome", outcome).register(meters).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }
}

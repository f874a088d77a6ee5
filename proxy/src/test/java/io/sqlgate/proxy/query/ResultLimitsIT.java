package io.sqlgate.proxy.query;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpStatus;
import io.sqlgate.hop.wire.QueryRequest;
import io.sqlgate.http.ApiException;
import io.sqlgate.proxy.health.HealthMonitor;
import io.sqlgate.proxy.limits.KeyBulkheads;
import io.sqlgate.proxy.nodes.Node;
import io.sqlgate.proxy.nodes.NodePools;
import io.sqlgate.testkit.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one statement may cost the proxy and the node, on the real local cluster: a result larger than the byte
 * limit is refused while it is read, without holding it whole, and its connection is dropped rather than drained;
 * the node stops a statement by itself before the proxy's timeout. Pools of one connection, so that the next
 * statement shows what became of the connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultLimitsIT {
    private static final LocalCluster CLUSTER = LocalCluster.fromEnvironment();
    private static final long MAX_RESULT_BYTES = 1 << 20;
    private ApplicationContext context;
    private QueryExecutor executor;
    private Node read;
    private HealthMonitor monitor;
    private KeyBulkheads bulkheads;

    @BeforeAll
    void start() {
        CLUSTER.requireRunning();
        Map<String, Object> properties = new HashMap<>();
        properties.put("hop.verify-secret", "result-limits-it-secret");
        properties.put("proxy.database.username", CLUSTER.appUser());
        properties.put("proxy.database.password", CLUSTER.appPassword());
        properties.put("proxy.database.pool-size", 1);
        properties.put("proxy.database.query-timeout", "3s");
        properties.put("proxy.database.max-result-bytes", MAX_RESULT_BYTES);
        properties.put("proxy.monitor.username", CLUSTER.monitorUser());
        properties.put("proxy.monitor.password", CLUSTER.monitorPassword());
        properties.put("proxy.writer.preferred", "node1");
        properties.put("proxy.nodes.node1.url", CLUSTER.jdbcUrl("node1"));
        properties.put("proxy.nodes.node2.url", CLUSTER.jdbcUrl("node2"));
        context = ApplicationContext.run(properties);
        executor = context.getBean(QueryExecutor.class);
        read = context.getBean(NodePools.class).node("node2");
        monitor = context.getBean(HealthMonitor.class);
        bulkheads = context.getBean(KeyBulkheads.class);
    }

    @AfterAll
    void stop() {
        if (context != null) {
            context.close();
        }
    }

    /** As the proxy's controller runs a read: under a lease of the request's key. */
    private Rows run(String sql, List<Object> params) throws QueryExecutor.NodeFailure {
        try (KeyBulkheads.Lease lease = bulkheads.enter(new QueryRequest(sql, null, null, null, "result-limits-it", "reader"))) {
            return executor.read(read, sql, params, lease);
        }
    }

    private Object connectionId() throws Exception {
        return run("SELECT CONNECTION_ID()", List.of()).rows().get(0).get(0);
    }

    /** Rows that each fit but together do not, and one row larger than the whole limit (never read off the socket). */
    @Test
    void aResultOverTheByteLimitIsRefusedAndItsConnectionDropped() throws Exception {
        for (String sql : new String[]{"SELECT seq, REPEAT('a', 300000) FROM seq_1_to_5",
                "SELECT REPEAT('b', 3000000), REPEAT('c', 3000000)"}) {
            Object before = connectionId();
            ApiException refused = assertThrows(ApiException.class, () -> run(sql, List.of()), sql);
            assertEquals(HttpStatus.UNPROCESSABLE_ENTITY.getCode(), refused.status(), sql);
            assertEquals("RESULT_TOO_LARGE", refused.code(), sql);
            assertTrue(refused.getMessage().contains(Long.toString(MAX_RESULT_BYTES)), refused.getMessage());
            // the pool's one connection was dropped, not drained and reused; the node is still up for the monitor
            Object after = connectionId();
            assertNotEquals(before, after, sql);
            assertTrue(monitor.snapshot().node("node2").orElseThrow().up(), sql);
        }
        // just under the limit is fine, every row and value whole
        Rows rows = run("SELECT seq, REPEAT('a', 300000) FROM seq_1_to_3", List.of());
        assertEquals(3, rows.rows().size());
        assertEquals(300000, rows.rows().get(2).get(1).toString().length());
        assertEquals("3", rows.rows().get(2).get(0).toString());
    }

    @Test
    void theNodeStopsAStatementBeforeTheProxysTimeout() throws Exception {
        Object limit = run("SELECT @@max_statement_time", List.of()).rows().get(0).get(0);
        assertEquals(2.7, Double.parseDouble(limit.toString()), 1e-9);
        ApiException stopped = assertThrows(QueryExecutor.NodeFailure.class,
                () -> run("SELECT SLEEP(10)", List.of())).answer();
        // 1969: the node's max_statement_time, not the driver's cancel at 3 s (which would be a KILL QUERY, 1317)
        assertEquals("QUERY_TIMEOUT", stopped.code(), stopped.getMessage());
        assertTrue(stopped.getMessage().contains("error 1969"), stopped.getMessage());
    }

    /**
     * A key whose statements ran past its statement time has the running one cancelled on the node, and waits. The
     * node answers nothing else here, so the key's clock stops after a second (NodeProgress): the burst is less.
     */
    @Test
    void aKeyOutOfStatementTimeHasItsStatementCancelledOnTheNode() throws Exception {
        try (ApplicationContext budgeted = ApplicationContext.run(Map.of("hop.verify-secret", "result-limits-it-secret",
                "proxy.database.username", CLUSTER.appUser(), "proxy.database.password", CLUSTER.appPassword(),
                "proxy.monitor.username", CLUSTER.monitorUser(), "proxy.monitor.password", CLUSTER.monitorPassword(),
                "proxy.writer.preferred", "node1", "proxy.nodes.node1.url", CLUSTER.jdbcUrl("node1"),
                "proxy.limits.statement-time-per-key", "100ms", "proxy.limits.statement-time-burst", "500ms"))) {
            QueryExecutor budgetedExecutor = budgeted.getBean(QueryExecutor.class);
            KeyBulkheads limits = budgeted.getBean(KeyBulkheads.class);
            Node primary = budgeted.getBean(NodePools.class).node("node1");
            QueryRequest request = new QueryRequest("SELECT SLEEP(5)", null, null, null, "busy-key", "reader");
            ApiException cancelled;
            try (KeyBulkheads.Lease lease = limits.enter(request)) {
                cancelled = assertThrows(QueryExecutor.NodeFailure.class,
                        () -> budgetedExecutor.read(primary, "SELECT SLEEP(5)", List.of(), lease)).answer();
            }
            assertEquals("STATEMENT_TIME_EXHAUSTED", cancelled.code(), cancelled.getMessage());
            assertEquals(HttpStatus.TOO_MANY_REQUESTS.getCode(), cancelled.status());
            // the key waits; its next statement is refused before it takes a connection
            ApiException refused = assertThrows(ApiException.class, () -> limits.enter(request));
            assertEquals("STATEMENT_TIME_EXHAUSTED", refused.code());
            // and the node is not still running it: no SLEEP(5) of the application user left in the processlist
            try (java.sql.Connection admin = CLUSTER.connect("node1"); java.sql.Statement statement = admin.createStatement();
                 java.sql.ResultSet running = statement.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                         + " WHERE INFO = 'SELECT SLEEP(5)' AND COMMAND = 'Query'")) {
                running.next();
                assertEquals(0, running.getInt(1));
            }
        }
    }
}

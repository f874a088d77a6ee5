package io.sqlgate.proxy.query;

import io.micronaut.context.ApplicationContext;
import io.sqlgate.hop.wire.QueryRequest;
import io.sqlgate.proxy.audit.AuditLedger;
import io.sqlgate.proxy.limits.KeyBulkheads;
import io.sqlgate.proxy.nodes.Node;
import io.sqlgate.proxy.nodes.NodePools;
import io.sqlgate.testkit.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing that one request leaves on a pooled session reaches the next, whatever the SQL policy lets through:
 * statements run through the {@link QueryExecutor} on the real local cluster, with one connection per pool so
 * that the next statement surely gets the same physical connection, and each test checks that it did
 * ({@code CONNECTION_ID()}) before checking that the session was reset and the pool's own settings hold.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionResetIT {
    private static final LocalCluster CLUSTER = LocalCluster.fromEnvironment();
    private static final int MAX_ROWS = 5;
    private static final QueryRequest REQUEST = new QueryRequest("-", null, null, null, "session-reset-it", "writer");

    private final List<ApplicationContext> contexts = new ArrayList<>();
    private Proxy app;
    private Proxy bench;

    /** A proxy's executor and nodes, with every pool of one connection. */
    private record Proxy(QueryExecutor executor, KeyBulkheads bulkheads, Node primary, Node read) {
        /** As the proxy's controller runs one: under a lease of the request's key. */
        Rows runRead(Node node, String sql, List<Object> params) throws Exception {
            try (KeyBulkheads.Lease lease = bulkheads.enter(REQUEST)) {
                return executor.read(node, sql, params, lease);
            }
        }

        Written runWrite(Node node, String sql, List<Object> params) throws Exception {
            try (KeyBulkheads.Lease lease = bulkheads.enter(REQUEST)) {
                return executor.write(node, sql, params, new AuditLedger.WriteRecord("session-reset-it", REQUEST.key(), "query",
                        sql, new java.util.TreeSet<>(), params), lease);
            }
        }

        Object connectionId(Node node) throws Exception {
            return value(node, "SELECT CONNECTION_ID()");
        }

        Object value(Node node, String sql) throws Exception {
            return row(node, sql).get(0);
        }

        List<String> texts(Node node, String sql) throws Exception {
            return row(node, sql).stream().map(SessionResetIT::text).toList();
        }

        List<Object> row(Node node, String sql) throws Exception {
            Rows rows = runRead(node, sql, List.of());
            assertEquals(1, rows.rows().size(), sql);
            return rows.rows().get(0);
        }

        void write(Node node, String sql, Object... params) throws Exception {
            runWrite(node, sql, List.of(params));
        }
    }

    @BeforeAll
    void start() {
        CLUSTER.requireRunning();
        app = proxy(CLUSTER.appUser(), CLUSTER.appPassword(), "main_db", "", true);
        // Only the benchmark user (every privilege on sbtest) may create a temporary table; it has no ledger.
        bench = proxy(CLUSTER.benchUser(), CLUSTER.benchPassword(), "sbtest", "", false);
    }

    @AfterAll
    void stop() {
        contexts.forEach(ApplicationContext::close);
    }

    private Proxy proxy(String user, String password, String database, String extraUrlProperties, boolean ledger) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("proxy.audit.enabled", ledger);
        properties.put("hop.verify-secret", "session-reset-it-secret");
        properties.put("proxy.database.username", user);
        properties.put("proxy.database.password", password);
        properties.put("proxy.database.pool-size", 1);
        properties.put("proxy.database.max-rows", MAX_ROWS);
        properties.put("proxy.monitor.username", CLUSTER.monitorUser());
        properties.put("proxy.monitor.password", CLUSTER.monitorPassword());
        properties.put("proxy.writer.preferred", "node1");
        properties.put("proxy.nodes.node1.url", url("node1", database, false, extraUrlProperties));
        properties.put("proxy.nodes.node2.url", url("node2", database, true, extraUrlProperties));
        ApplicationContext context = ApplicationContext.run(properties);
        contexts.add(context);
        NodePools pools = context.getBean(NodePools.class);
        return new Proxy(context.getBean(QueryExecutor.class), context.getBean(KeyBulkheads.class), pools.node("node1"), pools.node("node2"));
    }

    /** The URL the proxy's configuration would hold for this node (see {@link LocalCluster#jdbcUrl}). */
    private static String url(String server, String database, boolean readYourWrites, String extra) {
        String url = LocalCluster.jdbcUrl(CLUSTER.host(), CLUSTER.port(server), readYourWrites).replace("/main_db", "/" + database);
        return extra.isEmpty() ? url : url + (url.contains("?") ? "&" : "?") + extra;
    }

    /**
     * The reset costs four statements on the node, so it is skipped for the statements the tiers let through,
     * which cannot leave anything; any other statement is followed by one. Counted by the node itself: the
     * reset's SET statements (MariaDB counts no COM_RESET_CONNECTION), read on a connection of the test's own.
     */
    @Test
    void onlyAStatementThatMayLeaveStateIsFollowedByAReset() throws Exception {
        try (java.sql.Connection counter = CLUSTER.connect("node2")) {
            long before = setStatements(counter);
            for (int i = 0; i < 20; i++) {
                app.runRead(app.read(), "SELECT id, UPPER(column1) FROM direct_table WHERE id > ? ORDER BY id LIMIT 2", List.of(i));
            }
            assertEquals(before, setStatements(counter), "no reset after statements that cannot leave state");
            app.value(app.read(), "SELECT @v := 'secret'");
            assertTrue(setStatements(counter) >= before + 2, "a reset after a statement that may");
        }
    }

    private static long setStatements(java.sql.Connection connection) throws Exception {
        try (java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet status = statement.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_set_option'")) {
            assertTrue(status.next());
            return status.getLong(2);
        }
    }

    @Test
    void aUserVariableIsGoneForTheNextRequest() throws Exception {
        Object connection = app.connectionId(app.read());
        assertEquals("secret", app.value(app.read(), "SELECT @v := 'secret'"));
        assertEquals(connection, app.connectionId(app.read()));
        assertNull(app.value(app.read(), "SELECT @v"));
    }

    @Test
    void aNamedLockIsReleasedWhenTheRequestEnds() throws Exception {
        String lock = "session-reset-it-" + UUID.randomUUID();
        Object connection = app.connectionId(app.primary());
        assertEquals("1", text(app.value(app.primary(), "SELECT GET_LOCK('" + lock + "', 0)")));
        assertEquals(connection, app.connectionId(app.primary()));
        assertNull(app.value(app.primary(), "SELECT IS_USED_LOCK('" + lock + "')"));
    }

    @Test
    void aTemporaryTableIsDroppedWhenTheRequestEnds() throws Exception {
        Object connection = bench.connectionId(bench.primary());
        bench.write(bench.primary(), "CREATE TEMPORARY TABLE t_tmp (x int)");
        assertEquals(connection, bench.connectionId(bench.primary()));
        QueryExecutor.NodeFailure failure = assertThrows(QueryExecutor.NodeFailure.class,
                () -> bench.runRead(bench.primary(), "SELECT x FROM t_tmp", List.of()));
        assertEquals("SQL_ERROR", failure.answer().code());
        assertTrue(failure.answer().getMessage().contains("error 1146"), failure.answer().getMessage());
    }

    @Test
    void theApplicationUserCannotCreateATemporaryTableAtAll() {
        QueryExecutor.NodeFailure failure = assertThrows(QueryExecutor.NodeFailure.class,
                () -> app.runWrite(app.primary(), "CREATE TEMPORARY TABLE t_tmp (x int)", List.of()));
        assertEquals("DATABASE_ACCESS_DENIED", failure.answer().code());
    }

    @Test
    void sessionVariablesGoBackToWhatTheyWere() throws Exception {
        String names = "SELECT @@session.sql_mode, @@session.tx_isolation, @@character_set_client, @@character_set_results,"
                + " @@collation_connection, @@session.time_zone, @@session.sql_select_limit, @@session.wsrep_sync_wait";
        List<Object> fresh = app.row(app.read(), names);
        Object connection = app.connectionId(app.read());
        for (String change : List.of("SET @@session.sql_mode = ''", "SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE",
                "SET NAMES latin1", "SET time_zone = '+03:00'", "SET SESSION sql_select_limit = 2", "SET SESSION wsrep_sync_wait = 0")) {
            app.write(app.read(), change);
        }
        assertEquals(connection, app.connectionId(app.read()));
        assertEquals(fresh, app.row(app.read(), names));
        assertEquals("STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION", text(fresh.get(0)));
        assertEquals("utf8mb4", text(fresh.get(2)));
    }

    @Test
    void autoCommitOffAndAnOpenTransactionEndWithTheRequest() throws Exception {
        // One request is one statement, so what it can leave is auto-commit off or a transaction still open.
        Object connection = app.connectionId(app.primary());
        app.write(app.primary(), "SET autocommit = 0");
        assertEquals(connection, app.connectionId(app.primary()));
        assertEquals(List.of("1", "0"), app.texts(app.primary(), "SELECT @@autocommit, @@in_transaction"));

        app.write(app.primary(), "START TRANSACTION");
        assertEquals(connection, app.connectionId(app.primary()));
        assertEquals(List.of("1", "0"), app.texts(app.primary(), "SELECT @@autocommit, @@in_transaction"));
    }

    @Test
    void aPreparedStatementOfTheSessionIsGone() throws Exception {
        Object connection = app.connectionId(app.primary());
        app.write(app.primary(), "PREPARE session_reset_it FROM 'SELECT 1'");
        assertEquals(connection, app.connectionId(app.primary()));
        QueryExecutor.NodeFailure failure = assertThrows(QueryExecutor.NodeFailure.class,
                () -> app.runWrite(app.primary(), "EXECUTE session_reset_it", List.of()));
        assertTrue(failure.answer().getMessage().contains("error 1243"), failure.answer().getMessage());
    }

    @Test
    void theCurrentDatabaseComesBackAfterUse() throws Exception {
        Object connection = app.connectionId(app.read());
        app.write(app.read(), "USE information_schema");
        assertEquals(connection, app.connectionId(app.read()));
        assertEquals("main_db", app.value(app.read(), "SELECT DATABASE()"));
    }

    @Test
    void thePoolsOwnSettingsHoldAfterEveryReset() throws Exception {
        Object connection = app.connectionId(app.read());
        for (int i = 0; i < 3; i++) {
            assertEquals(connection, app.connectionId(app.read()));
            assertEquals(List.of(Integer.toString(MAX_ROWS + 1), "1", "1"),
                    app.texts(app.read(), "SELECT @@session.sql_select_limit, @@session.wsrep_sync_wait, @@autocommit"));
            assertEquals(List.of(Integer.toString(MAX_ROWS + 1), "0", "1"),
                    app.texts(app.primary(), "SELECT @@session.sql_select_limit, @@session.wsrep_sync_wait, @@autocommit"));
        }
        // The read cap still cuts: seven rows asked, five returned and flagged.
        Rows rows = app.runRead(app.read(), "SELECT seq FROM seq_1_to_7", List.of());
        assertEquals(List.of(List.of(1L), List.of(2L), List.of(3L), List.of(4L), List.of(5L)),
                rows.rows().stream().map(r -> List.<Object>of(((Number) r.get(0)).longValue())).toList());
        assertTrue(rows.truncated());
    }

    @Test
    void aConnectionWhoseSessionCannotBeResetIsEvictedNotReturned() throws Exception {
        // paranoid=true turns the driver's reset into a no-op; the proxy must then give the connection up.
        Proxy paranoid = proxy(CLUSTER.appUser(), CLUSTER.appPassword(), "main_db", "paranoid=true", true);
        Object first = paranoid.connectionId(paranoid.read());
        assertEquals("secret", paranoid.value(paranoid.read(), "SELECT @v := 'secret'"));
        assertNotEquals(first, paranoid.connectionId(paranoid.read()));
        assertNull(paranoid.value(paranoid.read(), "SELECT @v"));
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}

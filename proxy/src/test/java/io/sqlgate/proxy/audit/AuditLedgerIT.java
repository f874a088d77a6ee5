package io.sqlgate.proxy.audit;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sqlgate.hop.wire.ErrorBody;
import io.sqlgate.hop.wire.HopHeaders;
import io.sqlgate.hop.wire.WriteResult;
import io.sqlgate.testkit.LocalCluster;
import io.sqlgate.testkit.SignedRequests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit ledger on the real local cluster, through the proxy's HTTP API with requests signed as the trusted host
 * signs them: a write has exactly one entry, in the same transaction; a write refused by the policy or by the
 * database, or rolled back, has none, and neither has its row; an entry that cannot be recorded means no write;
 * the application user can only append to the ledger. Every check reads the database itself, on every node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditLedgerIT {
    private static final LocalCluster CLUSTER = LocalCluster.fromEnvironment();
    private static final String SECRET = "audit-ledger-it-hop-secret";
    private static final String KEY = "audit-it-writer";

    private EmbeddedServer server;
    private BlockingHttpClient http;
    private final SignedRequests signed = new SignedRequests(SECRET).as(SECRET, KEY, "writer");

    @BeforeAll
    void start() {
        CLUSTER.requireRunning();
        server = ApplicationContext.run(EmbeddedServer.class, CLUSTER.embeddedProxyProperties(SECRET));
        http = HttpClient.create(server.getURL()).toBlocking();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private record Entry(String keyName, String route, String digest, String digestText, String tables, long affectedRows,
                         String node, String params, LocalDateTime recordedAt) {
    }

    @Test
    void aWriteHasExactlyOneEntryWithItsRequestIdKeyAndDigestOnEveryNode() throws Exception {
        String requestId = requestId();
        String value = "audit-" + requestId;
        LocalDateTime before = LocalDateTime.now(ZoneOffset.UTC).minusSeconds(1);
        HttpResponse<WriteResult> response = http.exchange(signed.post("/query", "{\"sql\": \"INSERT INTO direct_table (column1, column2)"
                + " VALUES ('" + value + "', 'x'), ('" + value + "', 'y')\"}", requestId, System.currentTimeMillis()), WriteResult.class);
        assertEquals(HttpStatus.OK, response.getStatus());
        assertEquals(2, response.body().affectedRows());
        String node = response.header(HopHeaders.SERVED_BY);
        LocalDateTime after = LocalDateTime.now(ZoneOffset.UTC).plusSeconds(1);

        for (String server : LocalCluster.NODES) {
            List<Entry> entries = entries(server, requestId);
            assertEquals(1, entries.size(), "one entry on " + server + ": " + entries);
            Entry entry = entries.get(0);
            assertEquals(KEY, entry.keyName());
            assertEquals("query", entry.route());
            assertEquals("INSERT INTO direct_table(column1, column2) VALUES (...)", entry.digestText());
            assertEquals(io.sqlgate.hop.Sha256.hex(entry.digestText()), entry.digest());
            assertEquals("main_db.direct_table", entry.tables());
            assertEquals(2, entry.affectedRows());
            assertEquals(node, entry.node());
            assertEquals(null, entry.params(), "values are not kept unless proxy.audit.record-params says so");
            assertTrue(!entry.recordedAt().isBefore(before) && !entry.recordedAt().isAfter(after),
                    "recorded at " + entry.recordedAt() + ", between " + before + " and " + after + " UTC");
            assertEquals(2, rows(server, value), "the rows are there with their entry on " + server);
        }
    }

    @Test
    void entriesAreTimedToTheMicrosecond() throws Exception {
        // Two writes in a row are microseconds apart: at a coarser precision both would show the same second
        List<LocalDateTime> times = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String requestId = requestId();
            http.exchange(signed.post("/query", "{\"sql\": \"INSERT INTO direct_table (column1, column2) VALUES ('audit-time', 'x')\"}",
                    requestId, System.currentTimeMillis()), WriteResult.class);
            times.add(entries("node1", requestId).get(0).recordedAt());
        }
        assertTrue(times.get(0).isBefore(times.get(1)), "two writes in a row recorded at " + times);
        assertTrue(times.get(0).getNano() % 1000 == 0 && times.get(1).getNano() % 1000 == 0, "microseconds, no finer: " + times);
    }

    @Test
    void theRetentionEventDeletesTheEntriesOlderThanItsDaysAndNoOther() throws Exception {
        java.util.Optional<List<String>> event = CLUSTER.rootQuery("node1", "SELECT STATUS, EVENT_DEFINITION FROM information_schema.EVENTS"
                + " WHERE EVENT_SCHEMA = 'sqlgate_audit' AND EVENT_NAME = 'retention'");
        org.junit.jupiter.api.Assumptions.assumeTrue(event.isPresent(), "no root access over node1's socket on this machine");
        org.junit.jupiter.api.Assumptions.assumeFalse(event.get().isEmpty(), "the cluster keeps every entry (SQLGATE_AUDIT_RETENTION_DAYS=0)");
        String[] row = event.get().get(0).split("\t");
        assertEquals("ENABLED", row[0], "node1 runs it");
        java.util.regex.Matcher days = java.util.regex.Pattern.compile("INTERVAL (\\d+) DAY").matcher(row[1]);
        assertTrue(days.find(), row[1]);
        int kept = Integer.parseInt(days.group(1));
        String expired = requestId();
        String recent = requestId();
        String columns = "INSERT INTO sqlgate_audit.write_entry (recorded_at, request_id, key_name, route, digest, digest_text, tables_touched,"
                + " affected_rows, node) VALUES ";
        String values = ", 'retention-it', 'query', REPEAT('0', 64), 'DELETE FROM t WHERE id = ?', 'main_db.t', 1, 'node1')";
        assertTrue(CLUSTER.rootQuery("node1", columns + "(UTC_TIMESTAMP(6) - INTERVAL " + (kept + 1) + " DAY, '" + expired + "'" + values
                + ", (UTC_TIMESTAMP(6) - INTERVAL " + (kept - 1) + " DAY, '" + recent + "'" + values).isPresent());

        assertTrue(CLUSTER.rootQuery("node1", row[1]).isPresent(), "the event's statement runs");
        for (String server : LocalCluster.NODES) {
            assertEquals(List.of(), entries(server, expired), "older than " + kept + " days: gone from " + server);
            assertEquals(1, entries(server, recent).size(), "younger: kept on " + server);
        }
    }

    @Test
    void aWriteThePolicyRefusesHasNoEntry() throws Exception {
        String requestId = requestId();
        ErrorBody refused = refusal(HttpStatus.FORBIDDEN, "{\"sql\": \"UPDATE direct_table SET column2 = 'audit-policy'\"}", requestId);
        assertEquals("WHERE_REQUIRED", refused.code());
        assertEquals(List.of(), entries("node1", requestId));
        refused = refusal(HttpStatus.FORBIDDEN, "{\"sql\": \"DELETE FROM sqlgate_audit.write_entry WHERE id > 0\"}", requestId);
        assertEquals("SYSTEM_SCHEMA_FORBIDDEN", refused.code(), "no client statement reaches the ledger");
        assertEquals(List.of(), entries("node1", requestId));
    }

    @Test
    void aWriteTheDatabaseRollsBackHasNoEntryAndNoRow() throws Exception {
        long existing = existingId();
        String requestId = requestId();
        String value = "audit-rollback-" + requestId;
        // the first row would be new; the second one's key exists, so the whole statement is rolled back
        ErrorBody refused = refusal(HttpStatus.CONFLICT, "{\"sql\": \"INSERT INTO direct_table (id, column1, column2) VALUES (NULL, '"
                + value + "', 'x'), (" + existing + ", '" + value + "', 'y')\"}", requestId);
        assertEquals("CONSTRAINT_VIOLATION", refused.code());
        for (String server : LocalCluster.NODES) {
            assertEquals(List.of(), entries(server, requestId), server);
            assertEquals(0, rows(server, value), server);
        }
    }

    @Test
    void aWriteWhoseEntryCannotBeRecordedIsNotMade() throws Exception {
        // a key name longer than the ledger's column: the node refuses the entry, and the write goes with it
        String longKey = "k".repeat(300);
        String requestId = requestId();
        String value = "audit-unrecorded-" + requestId;
        HttpClientResponseException refused = assertThrows(HttpClientResponseException.class, () -> http.exchange(
                signed.as(SECRET, longKey, "writer").post("/query", "{\"sql\": \"INSERT INTO direct_table (column1, column2) VALUES ('"
                        + value + "', 'x')\"}", requestId, System.currentTimeMillis()), Argument.of(String.class), Argument.of(ErrorBody.class)));
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, refused.getStatus());
        ErrorBody body = refused.getResponse().getBody(ErrorBody.class).orElseThrow();
        assertEquals("AUDIT_UNAVAILABLE", body.code());
        assertTrue(body.error().startsWith("The write was not made: the audit ledger could not record it"), body.error());
        assertTrue(!body.error().contains("Data too long"), "the driver's words stay in the log: " + body.error());
        for (String server : LocalCluster.NODES) {
            assertEquals(0, rows(server, value), server);
        }
    }

    @Test
    void theApplicationUserCanOnlyAppendToTheLedger() throws Exception {
        try (Connection connection = CLUSTER.connect("node1"); Statement statement = connection.createStatement()) {
            SQLException update = assertThrows(SQLException.class, () -> statement.executeUpdate(
                    "UPDATE sqlgate_audit.write_entry SET key_name = 'someone else' WHERE id > 0"));
            assertEquals(1142, update.getErrorCode(), update.getMessage());
            SQLException delete = assertThrows(SQLException.class, () -> statement.executeUpdate("DELETE FROM sqlgate_audit.write_entry WHERE id > 0"));
            assertEquals(1142, delete.getErrorCode(), delete.getMessage());
            SQLException drop = assertThrows(SQLException.class, () -> statement.executeUpdate("DROP TABLE sqlgate_audit.write_entry"));
            assertEquals(1142, drop.getErrorCode(), drop.getMessage());
        }
    }

    private ErrorBody refusal(HttpStatus status, String json, String requestId) {
        HttpClientResponseException refused = assertThrows(HttpClientResponseException.class, () -> http.exchange(
                signed.post("/query", json, requestId, System.currentTimeMillis()), Argument.of(String.class), Argument.of(ErrorBody.class)));
        assertEquals(status, refused.getStatus(), refused.getResponse().getBody(String.class).orElse(""));
        return refused.getResponse().getBody(ErrorBody.class).orElseThrow();
    }

    private static String requestId() {
        return "audit-it-" + UUID.randomUUID();
    }

    /** The ledger's entries of a request on one node, read after that node has applied every earlier write. */
    private static List<Entry> entries(String server, String requestId) throws SQLException {
        try (Connection connection = CLUSTER.connect(server); PreparedStatement query = connection.prepareStatement(
                "SELECT key_name, route, digest, digest_text, tables_touched, affected_rows, node, params, recorded_at"
                        + " FROM sqlgate_audit.write_entry WHERE request_id = ?")) {
            query.setQueryTimeout((int) Duration.ofSeconds(10).toSeconds());
            query.setString(1, requestId);
            List<Entry> entries = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    entries.add(new Entry(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                            rows.getLong(6), rows.getString(7), rows.getString(8), rows.getObject(9, LocalDateTime.class)));
                }
            }
            return entries;
        }
    }

    private static long rows(String server, String value) throws SQLException {
        try (Connection connection = CLUSTER.connect(server); PreparedStatement query = connection.prepareStatement(
                "SELECT COUNT(*) FROM direct_table WHERE column1 = ?")) {
            query.setString(1, value);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long existingId() throws SQLException {
        try (Connection connection = CLUSTER.connect("node1"); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO direct_table (column1, column2) VALUES ('audit-existing', 'x')");
            try (ResultSet rows = statement.executeQuery("SELECT MAX(id) FROM direct_table")) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}

package io.sqlgate.reliability;

import io.sqlgate.testkit.Chain;
import io.sqlgate.testkit.Chain.Tier;
import io.sqlgate.testkit.HttpConnection;
import io.sqlgate.testkit.LocalCluster;
import io.sqlgate.testkit.TierProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two thousand hostile requests through the whole chain (the full volume is {@code bin/fault-suite --hostile}):
 * every one a 4xx JSON answer with {@code error}, {@code code} and {@code requestId}, none a 5xx, none over
 * 2 s, none passed on to the trusted host, and the database unchanged afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileIT {
    private static final int COUNT = 2_000;
    private static final long SEED = 20261125L;

    private final LocalCluster cluster = LocalCluster.fromEnvironment();
    private Chain chain;
    private TierProcess trustedHost;
    private TierProcess gatekeeper;
    private String writerKey;
    private String readerKey;

    @BeforeAll
    void startTheChain() throws IOException {
        cluster.requireRunning();
        // The limiter is not under test here: every request must meet the checks behind it.
        chain = Chain.on(cluster).name("hostile").environment(Tier.GATEKEEPER, Map.of(
                "GATEKEEPER_RATE_LIMIT_REQUESTS_PER_SECOND", "100000", "GATEKEEPER_RATE_LIMIT_BURST", "100000")).start();
        trustedHost = chain.tier(Tier.TRUSTED_HOST);
        gatekeeper = chain.tier(Tier.GATEKEEPER);
        writerKey = chain.writerKey();
        readerKey = chain.readerKey();
    }

    @AfterAll
    void stopTheChain() {
        if (chain != null) {
            chain.close();
        }
    }

    @Test
    void everyHostileRequestIsAFastClearRefusalAndTheDatabaseIsUnchanged() throws Exception {
        DatabaseState before = DatabaseState.capture(cluster);
        long passedOnBefore = trustedHost.requestsLogged();
        List<HostileRequest> corpus = HostileCorpus.generate(SEED, COUNT, writerKey, readerKey);

        HostileRun.Result result = HostileRun.send(corpus, "127.0.0.1", gatekeeper.port(), 4, Duration.ofSeconds(2));

        assertEquals(COUNT, result.sent());
        assertEquals(List.of(), result.failures().stream().limit(20).map(HostileRun.Failure::toString).toList(), result.report());
        assertEquals(HostileCorpus.CATEGORIES.size(), result.byCategory().size(), "every family was sent");
        result.byCategory().forEach((family, statuses) -> assertTrue(statuses.values().stream().mapToInt(Integer::intValue).sum() >= 150,
                family + " was sent often enough"));
        assertTrue(result.maxLatencyMs() < 2_000, result.report());
        assertEquals(List.of(), before.differences(DatabaseState.capture(cluster)), "the database is unchanged");
        assertEquals(passedOnBefore, trustedHost.requestsLogged(), "no hostile request got past the gatekeeper");
    }

    /**
     * The bypasses found by hand, each a request that reached the database before: with a table off the allow-list
     * holding a secret, none reads, changes or copies it, none runs a function off the list, none leaves a user
     * variable for another key, and every loose body is a 400; the secret and every table are unchanged.
     */
    @Test
    void theReportedBypassesAreRefusedAndTheSecretStaysPut() throws Exception {
        root("CREATE TABLE IF NOT EXISTS main_db.secret_table (id INT PRIMARY KEY, secret VARCHAR(64));"
                + " REPLACE INTO main_db.secret_table VALUES (1, 'the-secret')");
        try {
            // The control: the application user may read the table; only the gatekeeper stands in the way.
            try (java.sql.Connection app = cluster.connect("node1"); java.sql.Statement statement = app.createStatement();
                 java.sql.ResultSet secret = statement.executeQuery("SELECT secret FROM secret_table")) {
                assertTrue(secret.next());
                assertEquals("the-secret", secret.getString(1));
            }
            DatabaseState before = DatabaseState.capture(cluster);
            String[] asReader = {
                    "SELECT 4 //* */ 2, (SELECT secret FROM secret_table LIMIT 1)\n FROM direct_table LIMIT 1",
                    "SELECT 4 // 2, (SELECT secret FROM secret_table LIMIT 1) FROM direct_table LIMIT 1",
                    "SELECT 1 //* */ , table_name FROM information_schema.tables LIMIT 5",
                    "SELECT 1 //* */ , info FROM information_schema.processlist",
                    "SELECT WSREP_SYNC_WAIT_UPTO_GTID('0-1-999999999', 420) FROM direct_table LIMIT 1",
                    "SELECT DATABASE(), SCHEMA(), UUID(), UUID_SHORT(), WSREP_LAST_SEEN_GTID() FROM direct_table LIMIT 1",
                    "SELECT CURRENT_ROLE, CURRENT_USER FROM direct_table LIMIT 1",
                    "SELECT sys.version_major() FROM direct_table LIMIT 1", "SELECT NEXTVAL(mysql.user)",
                    "SELECT SLEEP(3), USER(), VERSION(), GET_LOCK('held', 10) FROM direct_table LIMIT 1",
                    "SELECT @v := 'secret' FROM direct_table LIMIT 1", "SELECT @v FROM direct_table LIMIT 1",
            };
            String[] asWriter = {
                    "UPDATE direct_table SET column2 = 4 //*\n WHERE id = 1 -- */ 2",
                    "UPDATE direct_table d, secret_table s SET s.secret = 'changed' //*\n WHERE d.id = 1 -- */",
                    "DELETE s FROM direct_table d, secret_table s //*\n WHERE d.id = 1 -- */",
                    "INSERT INTO direct_table (column1) SELECT 1 //* */ , secret FROM secret_table",
                    "INSERT INTO direct_table (column1) SELECT secret FROM secret_table",
            };
            for (String sql : asReader) {
                assertRefused(readerKey, "{\"sql\": " + json(sql) + "}", sql);
            }
            for (String sql : asWriter) {
                assertRefused(writerKey, "{\"sql\": " + json(sql) + "}", sql);
            }
            for (String body : new String[]{"{\"sql\": [\"SELECT 1 FROM direct_table\"]}", "{\"sql\": 12}",
                    "{\"sql\": \"SELECT id FROM direct_table LIMIT 1\", \"sql\": \"SELECT secret FROM secret_table\"}",
                    "{\"sql\": \"SELECT id FROM direct_table LIMIT 1\"} trailing",
                    "{\"sql\": \"SELECT id FROM direct_table LIMIT 1\", \"statementClass\": \"read\"}"}) {
                assertRefused(writerKey, body, body);
            }
            HostileRequest notGzip = new HostileRequest.Builder().path("/query").header("Authorization", "Bearer " + readerKey)
                    .header("Content-Encoding", "gzip").json("{\"sql\": \"SELECT id FROM direct_table LIMIT 1\"}").build("encoding", "not gzip");
            HttpConnection.Response encoded = HttpConnection.send("127.0.0.1", gatekeeper.port(), notGzip.bytes(), Duration.ofSeconds(10));
            assertEquals(415, encoded.status(), encoded.bodyText());
            assertTrue(encoded.bodyText().contains("\"code\":\"ENCODING_UNSUPPORTED\""), encoded.bodyText());

            assertEquals(List.of("1\tthe-secret"), root("SELECT id, secret FROM main_db.secret_table"));
            assertEquals(List.of(), before.differences(DatabaseState.capture(cluster)), "the database is unchanged");
        } finally {
            root("DROP TABLE IF EXISTS main_db.secret_table");
        }
    }

    private void assertRefused(String key, String body, String what) {
        HostileRequest request = new HostileRequest.Builder().path("/query").header("Authorization", "Bearer " + key).json(body)
                .build("bypass", what);
        HttpConnection.Response response = HttpConnection.send("127.0.0.1", gatekeeper.port(), request.bytes(), Duration.ofSeconds(10));
        assertTrue(response.status() >= 400 && response.status() < 500, what + " -> " + response.status() + " " + response.bodyText());
        assertTrue(response.bodyText().contains("\"code\":\""), response.bodyText());
        assertFalse(response.bodyText().contains("the-secret"), response.bodyText());
    }

    private static String json(String text) throws java.io.IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
    }

    private List<String> root(String sql) {
        return cluster.rootQuery("node1", sql).orElseThrow(() -> new IllegalStateException("no root access to node1 over its socket"));
    }

    /** The control: the same raw sender gets ordinary answers, so the refusals above are the chain's, not the harness's. */
    @Test
    void theSameSenderGetsOrdinaryRequestsAnswered() {
        for (String route : List.of("/fetch_direct", "/fetch_random", "/fetch_customized")) {
            HostileRequest ordinary = new HostileRequest.Builder().path(route).header("Authorization", "Bearer " + readerKey)
                    .json("{\"sql\": \"SELECT id, column1 FROM direct_table ORDER BY id LIMIT 1\"}").build("control", route);
            HttpConnection.Response response = HttpConnection.send("127.0.0.1", gatekeeper.port(), ordinary.bytes(), Duration.ofSeconds(10));
            assertEquals(200, response.status(), response.bodyText());
            assertTrue(response.bodyText().startsWith("["), response.bodyText());
        }
    }
}

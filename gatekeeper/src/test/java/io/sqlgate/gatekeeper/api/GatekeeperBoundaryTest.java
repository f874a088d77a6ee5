package io.sqlgate.gatekeeper.api;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sqlgate.hop.Sha256;
import io.sqlgate.hop.signing.HopRejectedException;
import io.sqlgate.hop.signing.HopVerifier;
import io.sqlgate.hop.wire.HopHeaders;
import io.sqlgate.hop.wire.QueryRequest;
import io.sqlgate.http.QueryBodies;
import io.sqlgate.testkit.EncodedBodies;
import io.sqlgate.testkit.StubTier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gatekeeper at its boundary, over real HTTP, with a stub trusted host that records what it receives: what it
 * forwards is the statement as it was checked (printed back from its tree, names in backquotes), with its class
 * and the key's name and role, signed with the gatekeeper's secret; what the policy refuses, and a request without
 * a valid key, never reaches the trusted host; the trusted host's answers come back as they were given.
 */
class GatekeeperBoundaryTest {
    private static final String SIGN_SECRET = "gatekeeper-to-trusted-host-secret";
    private static final String WRITER_KEY = "writer-key-of-the-boundary-test";
    private static final String READER_KEY = "reader-key-of-the-boundary-test";
    /** A key of its own for the test that makes the gatekeeper hold a key back. */
    private static final String HELD_KEY = "held-key-of-the-boundary-test";
    private static final StubTier.Answer ROWS = StubTier.Answer.json(200,
            "{\"columns\":[\"id\"],\"rows\":[[1]],\"node\":\"node2\",\"strategy\":\"random\",\"truncated\":false,\"fallback\":false}",
            Map.of(HopHeaders.SERVED_BY, "node2", HopHeaders.STRATEGY, "random"));

    private static StubTier trustedHost;
    private static EmbeddedServer gatekeeper;
    private static JsonMapper json;

    @BeforeAll
    static void start() {
        trustedHost = StubTier.answering(ROWS);
        gatekeeper = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "hop.sign-secret", SIGN_SECRET,
                "gatekeeper.api-keys", "tester:writer:" + Sha256.hex(WRITER_KEY) + ",viewer:reader:" + Sha256.hex(READER_KEY)
                        + ",held:writer:" + Sha256.hex(HELD_KEY),
                "micronaut.http.services.trusted-host.url", trustedHost.url()));
        json = gatekeeper.getApplicationContext().getBean(JsonMapper.class);
    }

    @AfterAll
    static void stop() {
        gatekeeper.close();
        trustedHost.close();
    }

    @BeforeEach
    void answerRows() {
        trustedHost.reset(ROWS);
    }

    // What reaches the trusted host

    @Test
    void anAcceptedReadReachesTheTrustedHostAsCheckedAndSigned() {
        HttpResponse<String> answer = post("/query", WRITER_KEY,
                "{\"sql\": \"select id, column1 from direct_table where id = ? and column2 = 'x'\", \"params\": [7], \"strategy\": \"random\"}");
        assertEquals(200, answer.statusCode(), answer.body());

        StubTier.Received forwarded = trustedHost.only();
        assertEquals("POST", forwarded.method());
        assertEquals("/query", forwarded.path());
        QueryRequest signed = new QueryBodies().readSigned(forwarded.body());
        assertSameStatement("SELECT `id`, `column1` FROM `direct_table` WHERE `id` = ? AND `column2` = 'x'", signed.sql());
        assertEquals(List.of(7), signed.params());
        assertEquals("random", signed.strategy());
        assertEquals("read", signed.statementClass());
        assertEquals("tester", signed.key());
        assertEquals("writer", signed.role());
        assertNull(forwarded.header("Authorization"), "the API key stays at the gatekeeper");
        assertFalse(forwarded.bodyText().contains(WRITER_KEY) || forwarded.headers().toString().contains(WRITER_KEY),
                "the key itself is never forwarded: " + forwarded.headers() + " " + forwarded.bodyText());
        assertEquals(answer.headers().firstValue(HopHeaders.REQUEST_ID).orElseThrow(), forwarded.header(HopHeaders.REQUEST_ID),
                "one request id on both sides of the hop");
        assertSignedBy(SIGN_SECRET, forwarded);
    }

    @Test
    void theSignatureIsTheGatekeepersAndCoversTheBody() {
        post("/query", WRITER_KEY, "{\"sql\": \"SELECT id FROM direct_table WHERE id = 1\"}");
        StubTier.Received forwarded = trustedHost.only();
        assertThrows(HopRejectedException.class, () -> verify("another-secret-of-16-bytes", forwarded, forwarded.body()),
                "a signature no other secret verifies");
        byte[] changed = forwarded.bodyText().replace("`id` = 1", "`id` = 2").getBytes(StandardCharsets.UTF_8);
        assertFalse(Arrays.equals(changed, forwarded.body()));
        assertThrows(HopRejectedException.class, () -> verify(SIGN_SECRET, forwarded, changed), "a signature over these bytes only");
        assertSignedBy(SIGN_SECRET, forwarded);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "/query            | SELECT * FROM random_table FOR UPDATE                | SELECT * FROM `random_table` FOR UPDATE                 | locking-read | direct",
            "/query            | insert into direct_table (column1) values ('a')     | INSERT INTO `direct_table` (`column1`) VALUES ('a')    | insert       | direct",
            "/populate_tables  | UPDATE direct_table SET column1 = 'b' WHERE id = 3  | UPDATE `direct_table` SET `column1` = 'b' WHERE `id` = 3 | update       |",
            "/populate_tables  | DELETE FROM customized_table WHERE id > 10          | DELETE FROM `customized_table` WHERE `id` > 10         | delete       |",
            "/fetch_direct     | SELECT column1 FROM direct_table                    | SELECT `column1` FROM `direct_table`                   | read         |",
            "/fetch_random     | SELECT COUNT(*) AS n FROM random_table              | SELECT COUNT(*) AS `n` FROM `random_table`              | read         |",
            "/fetch_customized | SELECT t.id FROM customized_table t                 | SELECT `t`.`id` FROM `customized_table` `t`             | read         |",
    })
    void everyRouteForwardsTheCanonicalStatementWithItsClass(String route, String sql, String canonical, String statementClass,
                                                             String strategy) {
        HttpResponse<String> answer = post(route, WRITER_KEY, "{\"sql\": \"" + sql + "\"}");
        assertEquals(200, answer.statusCode(), answer.body());
        StubTier.Received forwarded = trustedHost.only();
        assertEquals(route, forwarded.path());
        QueryRequest signed = new QueryBodies().readSigned(forwarded.body());
        assertSameStatement(canonical, signed.sql());
        assertEquals(statementClass, signed.statementClass());
        // /query names its strategy (direct by default); the original routes are their strategy.
        assertEquals(strategy, signed.strategy());
        assertEquals("tester", signed.key());
        assertEquals("writer", signed.role());
        assertSignedBy(SIGN_SECRET, forwarded);
    }

    @Test
    void aReaderKeyReadsAndTravelsAsAReader() {
        HttpResponse<String> answer = post("/fetch_random", READER_KEY, "{\"sql\": \"SELECT id FROM random_table\"}");
        assertEquals(200, answer.statusCode(), answer.body());
        QueryRequest signed = new QueryBodies().readSigned(trustedHost.only().body());
        assertEquals("viewer", signed.key());
        assertEquals("reader", signed.role());
        assertEquals("read", signed.statementClass());
    }

    @Test
    void statementsThatDifferOnlyInTheirValuesEachTravelWithTheirOwn() {
        // The second and third are a lookup of the first one's verdict: they must still carry their own values.
        String[] values = {"'first'", "'it''s second'", "'third, with ''quotes'' and ? and `backquotes`'"};
        for (String value : values) {
            trustedHost.reset(ROWS);
            HttpResponse<String> answer = post("/query", WRITER_KEY,
                    "{\"sql\": \"SELECT id FROM direct_table WHERE column1 = " + value + " AND id = 1\"}");
            assertEquals(200, answer.statusCode(), answer.body());
            assertSameStatement("SELECT `id` FROM `direct_table` WHERE `column1` = " + value + " AND `id` = 1",
                    new QueryBodies().readSigned(trustedHost.only().body()).sql());
        }
        String[] numbers = {"1", "22", "3.5", "-4", "0x1f", "1e-3"};
        for (String number : numbers) {
            trustedHost.reset(ROWS);
            HttpResponse<String> answer = post("/query", WRITER_KEY,
                    "{\"sql\": \"SELECT id FROM direct_table WHERE id = " + number + " LIMIT 5\"}");
            assertEquals(200, answer.statusCode(), answer.body());
            assertSameStatement("SELECT `id` FROM `direct_table` WHERE `id` = " + number + " LIMIT 5",
                    new QueryBodies().readSigned(trustedHost.only().body()).sql());
        }
    }

    @Test
    void paramsTravelAsTheyWereWritten() {
        HttpResponse<String> answer = post("/query", WRITER_KEY, "{\"sql\": \"INSERT INTO direct_table (column1, column2) VALUES (?, ?)\","
                + " \"params\": [\"it's \\\"quoted\\\"\", 12345678901234567890.25]}");
        assertEquals(200, answer.statusCode(), answer.body());
        QueryRequest signed = new QueryBodies().readSigned(trustedHost.only().body());
        assertEquals(List.of("it's \"quoted\"", new BigDecimal("12345678901234567890.25")), signed.params());
        assertEquals("insert", signed.statementClass());
    }

    // What never reaches it

    @ParameterizedTest(name = "{0} {2} -> {3} {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "/query            | writer | {\"sql\": \"SELECT * FROM secret_table\"}                                  | 403 | TABLE_FORBIDDEN",
            "/query            | writer | {\"sql\": \"SELECT user, host FROM mysql.user\"}                          | 403 | SYSTEM_SCHEMA_FORBIDDEN",
            "/query            | writer | {\"sql\": \"SELECT SLEEP(5) FROM direct_table\"}                          | 403 | FUNCTION_FORBIDDEN",
            "/query            | writer | {\"sql\": \"UPDATE direct_table SET column1 = 'x'\"}                      | 403 | WHERE_REQUIRED",
            "/populate_tables  | writer | {\"sql\": \"DELETE FROM direct_table\"}                                   | 403 | WHERE_REQUIRED",
            "/query            | writer | {\"sql\": \"DROP TABLE direct_table\"}                                    | 403 | SQL_FORBIDDEN",
            "/query            | reader | {\"sql\": \"INSERT INTO direct_table (column1) VALUES ('x')\"}            | 403 | ROLE_FORBIDDEN",
            "/populate_tables  | reader | {\"sql\": \"DELETE FROM direct_table WHERE id = 1\"}                      | 403 | ROLE_FORBIDDEN",
            "/query            | reader | {\"sql\": \"SELECT id FROM direct_table WHERE id = 1 FOR UPDATE\"}        | 403 | ROLE_FORBIDDEN",
            "/populate_tables  | writer | {\"sql\": \"SELECT id FROM direct_table\"}                                | 400 | ROUTE_MISMATCH",
            "/fetch_direct     | writer | {\"sql\": \"INSERT INTO direct_table (column1) VALUES ('x')\"}            | 400 | ROUTE_MISMATCH",
            "/fetch_customized | writer | {\"sql\": \"DELETE FROM direct_table WHERE id = 1\"}                      | 400 | ROUTE_MISMATCH",
            "/query            | writer | {\"sql\": \"SELECT id FROM direct_table WHERE id = ?\"}                   | 400 | PARAMS_INVALID",
            "/query            | writer | {\"sql\": \"SELECT id FROM direct_table WHERE id = ?\", \"params\": [1, 2]} | 400 | PARAMS_INVALID",
            "/fetch_direct     | writer | {\"sql\": \"SELECT id FROM direct_table\", \"params\": [1]}                | 400 | PARAMS_INVALID",
            "/query            | writer | {\"sql\": \"SELECT ?\", \"params\": [[1]]}                                | 400 | PARAMS_INVALID",
            "/query            | writer | {\"sql\": \"SELECT 1\", \"strategy\": \"fastest\"}                         | 400 | STRATEGY_UNKNOWN",
            "/query            | writer | {\"sql\": \"SELECT 1\", \"strategy\": \"DIRECT\"}                          | 400 | STRATEGY_UNKNOWN",
            "/query            | writer | {\"sql\": \"SELECT 1\"                                                    | 400 | BODY_INVALID",
            "/query            | writer | {\"sql\": \"SELECT 1\"} {}                                                | 400 | BODY_INVALID",
            "/query            | writer | [\"SELECT 1\"]                                                            | 400 | BODY_INVALID",
            "/fetch_random     | writer | {\"sql\": \"SELECT 1\", \"key\": \"tester\"}                               | 400 | BODY_INVALID",
            "/fetch_random     | writer | {\"sql\": \"SELECT 1\", \"role\": \"writer\"}                              | 400 | BODY_INVALID",
            "/query            | writer | {\"params\": []}                                                         | 400 | SQL_MISSING",
            "/query            | writer | {\"sql\": \"SELECT 1; SELECT 2\"}                                         | 400 | SQL_MULTIPLE_STATEMENTS",
            "/query            | writer | {\"sql\": \"SELECT FROM WHERE\"}                                          | 400 | SQL_PARSE_ERROR",
            "/query            | writer | {\"sql\": \"SELECT \\\"a\\\" FROM direct_table\"}                          | 400 | SQL_UNSUPPORTED",
            "/query            | writer | {\"sql\": \"SELECT @@version\"}                                           | 400 | SQL_UNSUPPORTED",
    })
    void whatThePolicyRefusesNeverReachesTheTrustedHost(String route, String role, String body, int status, String code) {
        HttpResponse<String> answer = post(route, role.equals("reader") ? READER_KEY : WRITER_KEY, body);
        assertRefused(answer, status, code);
        trustedHost.assertNothingReceived(route + " " + body + " was refused");
    }

    @Test
    void aMissingBodyAndAnOverlongStatementNeverReachTheTrustedHost() {
        assertRefused(post("/query", WRITER_KEY, ""), 400, "BODY_MISSING");
        String longSql = "SELECT id FROM direct_table WHERE column1 = '" + "x".repeat(8200) + "'";
        assertRefused(post("/query", WRITER_KEY, "{\"sql\": \"" + longSql + "\"}"), 413, "SQL_TOO_LONG");
        trustedHost.assertNothingReceived("refused bodies");
    }

    @Test
    void withoutAValidKeyTheAnswerIs401AndNothingIsForwarded() {
        String body = "{\"sql\": \"SELECT id FROM direct_table\"}";
        HttpResponse<String> missing = EncodedBodies.post(uri("/query"), null, bytes(body), Map.of());
        assertRefused(missing, 401, "AUTH_MISSING");
        assertEquals("Bearer realm=\"sqlgate\"", missing.headers().firstValue("WWW-Authenticate").orElse(""));
        assertRefused(post("/fetch_direct", "not-a-key-anybody-has", body), 401, "AUTH_INVALID");
        assertRefused(EncodedBodies.post(uri("/populate_tables"), null, bytes(body), Map.of("Authorization", "Basic " + WRITER_KEY)),
                401, "AUTH_INVALID");
        trustedHost.assertNothingReceived("requests without a valid key");
    }

    @Test
    void whatTheFrameworkRefusesIsJsonWithItsCodeAndNeverForwarded() throws IOException, InterruptedException {
        String select = "{\"sql\": \"SELECT id FROM direct_table\"}";
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        HttpResponse<String> get = client.send(java.net.http.HttpRequest.newBuilder(uri("/query"))
                .header("Authorization", "Bearer " + WRITER_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(get, 405, "METHOD_NOT_ALLOWED");
        HttpResponse<String> text = client.send(java.net.http.HttpRequest.newBuilder(uri("/query"))
                .header("Authorization", "Bearer " + WRITER_KEY).header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(select)).build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(text, 415, "UNSUPPORTED_MEDIA_TYPE");
        HttpResponse<String> accept = client.send(java.net.http.HttpRequest.newBuilder(uri("/query"))
                .header("Authorization", "Bearer " + WRITER_KEY).header("Content-Type", "application/json").header("Accept", "text/csv")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(select)).build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(accept, 406, "NOT_ACCEPTABLE");
        String large = "{\"sql\": \"SELECT id FROM direct_table WHERE column1 = '" + "x".repeat(70 * 1024) + "'\"}";
        assertRefused(post("/query", WRITER_KEY, large), 413, "BODY_TOO_LARGE");
        trustedHost.assertNothingReceived("requests the framework refused");
    }

    @Test
    void aWellFormedRequestIdIsKeptAcrossTheHop() {
        HttpResponse<String> answer = EncodedBodies.post(uri("/query"), null, bytes("{\"sql\": \"SELECT id FROM direct_table\"}"),
                Map.of("Authorization", "Bearer " + WRITER_KEY, HopHeaders.REQUEST_ID, "client-chosen.id_1"));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("client-chosen.id_1", answer.headers().firstValue(HopHeaders.REQUEST_ID).orElse(null));
        assertEquals("client-chosen.id_1", trustedHost.only().header(HopHeaders.REQUEST_ID));
        assertSignedBy(SIGN_SECRET, trustedHost.only());
    }

    @Test
    void anUnknownRouteIs404AndNothingIsForwarded() {
        assertRefused(post("/drop_tables", WRITER_KEY, "{\"sql\": \"SELECT 1\"}"), 404, "NOT_FOUND");
        trustedHost.assertNothingReceived("an unknown route");
    }

    /**
     * Paths the router takes for a route but that are not its path as the key filter reads it (a trailing slash,
     * an encoded letter) are no route: 404, with or without a key, never a 500 of a handler that finds no key.
     */
    @ParameterizedTest
    @CsvSource({"/query/", "/%71uery", "/fetch_direct/", "/populate%5Ftables"})
    void aPathThatOnlyLooksLikeARouteIs404(String path) {
        String body = "{\"sql\": \"SELECT id FROM direct_table\"}";
        assertRefused(post(path, WRITER_KEY, body), 404, "NOT_FOUND");
        assertRefused(EncodedBodies.post(uri(path), null, bytes(body), Map.of()), 404, "NOT_FOUND");
        trustedHost.assertNothingReceived(path + " is not a route");
    }

    // What comes back

    @Test
    void aReadsAnswerIsRelayedWithItsRoutingHeaders() {
        String rows = "[[1,\"a\",\"b\"],[2,\"c\",null]]";
        trustedHost.reset(StubTier.Answer.json(200, rows, Map.of(HopHeaders.SERVED_BY, "node1", HopHeaders.STRATEGY, "writer",
                HopHeaders.FALLBACK, "true", HopHeaders.TRUNCATED, "true",
                // What a tier says to the next about the hop itself does not reach the client.
                HopHeaders.SIGNATURE, "not-for-the-client", "X-Internal-Detail", "not-for-the-client")));
        HttpResponse<String> answer = post("/fetch_random", WRITER_KEY, "{\"sql\": \"SELECT * FROM random_table\"}");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(rows, answer.body());
        assertEquals("node1", answer.headers().firstValue(HopHeaders.SERVED_BY).orElse(null));
        assertEquals("writer", answer.headers().firstValue(HopHeaders.STRATEGY).orElse(null));
        assertEquals("true", answer.headers().firstValue(HopHeaders.FALLBACK).orElse(null));
        assertEquals("true", answer.headers().firstValue(HopHeaders.TRUNCATED).orElse(null));
        assertEquals(trustedHost.only().header(HopHeaders.REQUEST_ID), answer.headers().firstValue(HopHeaders.REQUEST_ID).orElse(null));
        assertTrue(answer.headers().firstValue(HopHeaders.SIGNATURE).isEmpty(), answer.headers().map().toString());
        assertTrue(answer.headers().firstValue("X-Internal-Detail").isEmpty(), answer.headers().map().toString());
    }

    @Test
    void aRefusalBehindTheGatekeeperIsRelayedWithItsRetryAfter() {
        String refusal = "{\"error\":\"Key 'tester' has 8 statements in flight\",\"code\":\"CONCURRENCY_LIMITED\",\"requestId\":\"r-1\"}";
        trustedHost.reset(StubTier.Answer.json(429, refusal, Map.of("Retry-After", "3")));
        HttpResponse<String> answer = post("/query", WRITER_KEY, "{\"sql\": \"SELECT id FROM direct_table\"}");
        assertEquals(429, answer.statusCode(), answer.body());
        assertEquals(refusal, answer.body());
        assertEquals("3", answer.headers().firstValue("Retry-After").orElse(null));

        String unavailable = "{\"error\":\"No node can serve this statement\",\"code\":\"NODE_UNAVAILABLE\",\"requestId\":\"r-2\"}";
        trustedHost.reset(StubTier.Answer.json(503, unavailable, Map.of()));
        answer = post("/fetch_customized", WRITER_KEY, "{\"sql\": \"SELECT id FROM customized_table\"}");
        assertEquals(503, answer.statusCode(), answer.body());
        assertEquals(unavailable, answer.body());
        trustedHost.only();
    }

    @Test
    void aKeyTheProxyToldToWaitIsHeldAtTheGatekeeperWithoutReadingItsBody() {
        trustedHost.reset(StubTier.Answer.json(429,
                "{\"error\":\"Key 'held' used its statement time\",\"code\":\"STATEMENT_TIME_EXHAUSTED\",\"requestId\":\"r-3\"}",
                Map.of("Retry-After", "30")));
        assertEquals(429, post("/query", HELD_KEY, "{\"sql\": \"SELECT id FROM direct_table\"}").statusCode());
        trustedHost.reset(ROWS);
        // Not even a body it could not read is read: the key is held back first.
        HttpResponse<String> held = post("/query", HELD_KEY, "not json at all");
        assertRefused(held, 429, "STATEMENT_TIME_EXHAUSTED");
        long retryAfter = Long.parseLong(held.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 30, "Retry-After " + retryAfter);
        trustedHost.assertNothingReceived("a key told to wait");
        // Other keys go on.
        assertEquals(200, post("/query", WRITER_KEY, "{\"sql\": \"SELECT id FROM direct_table\"}").statusCode());
    }

    @Test
    void anAnswerWithoutABodyIsA502OfTheGatekeeper() {
        trustedHost.reset(new StubTier.Answer(200, Map.of(), new byte[0]));
        assertRefused(post("/query", WRITER_KEY, "{\"sql\": \"SELECT id FROM direct_table\"}"), 502, "UPSTREAM_ERROR");
    }

    @Test
    void theApiDescriptionIsServedWithoutAKey() throws IOException, InterruptedException {
        HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(uri("/openapi.yml")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("application/yaml", answer.headers().firstValue("Content-Type").orElse(""));
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(OpenApiController.RESOURCE)) {
            assertNotNull(in);
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), answer.body());
        }
        trustedHost.assertNothingReceived("the API description");
    }

    /**
     * The same statement, character for character but for spacing between tokens: a statement of a known digest is
     * its template with this statement's values put in, each set apart by spaces.
     */
    private static void assertSameStatement(String expected, String actual) {
        assertEquals(spacedOnce(expected), spacedOnce(actual), actual);
    }

    /** Runs of spaces outside quotes as one space, none inside parentheses or before a comma, none at the ends. */
    private static String spacedOnce(String sql) {
        StringBuilder out = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote; // a doubled quote closes and opens again: the same text either way
            } else if (c == '\'' || c == '`') {
                quote = c;
            } else if (Character.isWhitespace(c)) {
                char next = i + 1 < sql.length() ? sql.charAt(i + 1) : ' ';
                char previous = out.length() == 0 ? '(' : out.charAt(out.length() - 1);
                if (Character.isWhitespace(next) || next == ')' || next == ',' || previous == '(') {
                    continue;
                }
                c = ' ';
            }
            out.append(c);
        }
        return out.toString().strip();
    }

    private static void assertSignedBy(String secret, StubTier.Received forwarded) {
        try {
            verify(secret, forwarded, forwarded.body());
        } catch (HopRejectedException e) {
            throw new AssertionError("the trusted host would refuse this hop: " + e.getMessage(), e);
        }
    }

    private static void verify(String secret, StubTier.Received forwarded, byte[] body) {
        new HopVerifier(secret).verify(forwarded.method(), forwarded.path(), forwarded.header(HopHeaders.TIMESTAMP),
                forwarded.header(HopHeaders.REQUEST_ID), forwarded.header(HopHeaders.SIGNATURE), body);
    }

    /** The refusal's status and code, in the JSON every refusal has, with the request id of its header. */
    private static void assertRefused(HttpResponse<String> answer, int status, String code) {
        assertEquals(status, answer.statusCode(), answer.body());
        Map<String, Object> error;
        try {
            error = json.readValue(answer.body(), Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + answer.body(), e);
        }
        assertEquals(code, error.get("code"), answer.body());
        assertTrue(error.get("error") instanceof String message && !message.isBlank(), answer.body());
        assertEquals(answer.headers().firstValue(HopHeaders.REQUEST_ID).orElse(null), error.get("requestId"), answer.body());
    }

    private static HttpResponse<String> post(String path, String key, String body) {
        return EncodedBodies.post(uri(path), null, bytes(body), Map.of("Authorization", "Bearer " + key));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gatekeeper.getPort() + path);
    }
}

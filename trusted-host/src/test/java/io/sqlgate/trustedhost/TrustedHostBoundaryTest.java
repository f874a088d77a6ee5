package io.sqlgate.trustedhost;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sqlgate.hop.signing.HopRejectedException;
import io.sqlgate.hop.signing.HopVerifier;
import io.sqlgate.hop.wire.HopHeaders;
import io.sqlgate.testkit.EncodedBodies;
import io.sqlgate.testkit.SignedRequests;
import io.sqlgate.testkit.StubTier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trusted host at its boundary, over real HTTP, with a stub proxy that records what it receives: only requests
 * the gatekeeper signed, fresh and once, get through; each is checked with the trusted host's own policy (its own
 * allow-list, the key role the gatekeeper signed) and its own reading of the statement's class; what it forwards is
 * the body that arrived, byte for byte, signed with its own secret.
 */
class TrustedHostBoundaryTest {
    private static final String FROM_GATEKEEPER = "gatekeeper-to-trusted-host-secret";
    private static final String TO_PROXY = "trusted-host-to-proxy-secret";
    private static final SignedRequests GATEKEEPER = new SignedRequests(FROM_GATEKEEPER);
    private static final StubTier.Answer ROWS = StubTier.Answer.json(200, "[[1,\"a\",\"b\"]]",
            Map.of(HopHeaders.SERVED_BY, "node3", HopHeaders.STRATEGY, "customized", HopHeaders.TRUNCATED, "true"));
    private static final String SELECT = "{\"sql\": \"SELECT `id` FROM `direct_table` WHERE `id` = ?\", \"params\": [1],"
            + " \"strategy\": \"random\", \"statementClass\": \"read\"}";

    private static StubTier proxy;
    private static EmbeddedServer trustedHost;
    private static JsonMapper json;

    @BeforeAll
    static void start() {
        proxy = StubTier.answering(ROWS);
        trustedHost = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "hop.verify-secret", FROM_GATEKEEPER,
                "hop.sign-secret", TO_PROXY,
                // Narrower than the gatekeeper's default: customized_table is not on this tier's list.
                "sqlgate.policy.allowed-tables", "direct_table,random_table",
                "micronaut.http.services.proxy.url", proxy.url()));
        json = trustedHost.getApplicationContext().getBean(JsonMapper.class);
    }

    @AfterAll
    static void stop() {
        trustedHost.close();
        proxy.close();
    }

    @BeforeEach
    void answerRows() {
        proxy.reset(ROWS);
    }

    // What gets through, and how

    @Test
    void anAcceptedRequestReachesTheProxyAsItArrivedSignedWithTheTrustedHostsSecret() {
        MutableHttpRequest<byte[]> signed = GATEKEEPER.post("/query", SELECT);
        HttpResponse<String> answer = send(signed);
        assertEquals(200, answer.statusCode(), answer.body());

        StubTier.Received forwarded = proxy.only();
        assertEquals("POST", forwarded.method());
        assertEquals("/query", forwarded.path());
        assertArrayEquals(signed.getBody().orElseThrow(), forwarded.body(), "the same bytes: " + forwarded.bodyText());
        assertEquals(signed.getHeaders().get(HopHeaders.REQUEST_ID), forwarded.header(HopHeaders.REQUEST_ID));
        new HopVerifier(TO_PROXY).verify("POST", "/query", forwarded.header(HopHeaders.TIMESTAMP),
                forwarded.header(HopHeaders.REQUEST_ID), forwarded.header(HopHeaders.SIGNATURE), forwarded.body());
        assertNotEquals(signed.getHeaders().get(HopHeaders.SIGNATURE), forwarded.header(HopHeaders.SIGNATURE));
        assertThrows(HopRejectedException.class, () -> new HopVerifier(FROM_GATEKEEPER).verify("POST", "/query",
                forwarded.header(HopHeaders.TIMESTAMP), forwarded.header(HopHeaders.REQUEST_ID), forwarded.header(HopHeaders.SIGNATURE),
                forwarded.body()), "signed again, with the trusted host's own secret");

        assertEquals("[[1,\"a\",\"b\"]]", answer.body());
        assertEquals("node3", answer.headers().firstValue(HopHeaders.SERVED_BY).orElse(null));
        assertEquals("customized", answer.headers().firstValue(HopHeaders.STRATEGY).orElse(null));
        assertEquals("true", answer.headers().firstValue(HopHeaders.TRUNCATED).orElse(null));
        assertEquals(forwarded.header(HopHeaders.REQUEST_ID), answer.headers().firstValue(HopHeaders.REQUEST_ID).orElse(null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "/populate_tables  | {\"sql\": \"INSERT INTO `direct_table` (`column1`) VALUES ('x')\", \"statementClass\": \"insert\"}",
            "/populate_tables  | {\"sql\": \"DELETE FROM `random_table` WHERE `id` = 2\", \"statementClass\": \"delete\"}",
            "/fetch_direct     | {\"sql\": \"SELECT `id` FROM `direct_table` FOR UPDATE\", \"statementClass\": \"locking-read\"}",
            "/fetch_random     | {\"sql\": \"SELECT `id` FROM `random_table`\", \"statementClass\": \"read\"}",
            "/fetch_customized | {\"sql\": \"SELECT 1\", \"statementClass\": \"read\"}",
            // A signed request without a class (a tier called directly) is classified here alone.
            "/query            | {\"sql\": \"UPDATE `direct_table` SET `column1` = ? WHERE `id` = 1\", \"params\": [\"y\"]}",
    })
    void everyRouteForwardsToTheSameRouteOfTheProxy(String route, String body) {
        MutableHttpRequest<byte[]> signed = GATEKEEPER.post(route, body);
        HttpResponse<String> answer = send(signed);
        assertEquals(200, answer.statusCode(), answer.body());
        StubTier.Received forwarded = proxy.only();
        assertEquals(route, forwarded.path());
        assertArrayEquals(signed.getBody().orElseThrow(), forwarded.body());
        new HopVerifier(TO_PROXY).verify("POST", route, forwarded.header(HopHeaders.TIMESTAMP),
                forwarded.header(HopHeaders.REQUEST_ID), forwarded.header(HopHeaders.SIGNATURE), forwarded.body());
    }

    // Hops that are not the gatekeeper's

    @Test
    void aRequestThatIsNotSignedIs401AndNeverForwarded() {
        HttpResponse<String> answer = EncodedBodies.post(uri("/query"), null, bytes("{\"key\": \"it\", \"role\": \"writer\", \"sql\": \"SELECT 1\"}"),
                Map.of());
        assertHopRefused(answer, "not signed");
    }

    @Test
    void aRequestSignedWithAnotherSecretIs401AndNeverForwarded() {
        assertHopRefused(send(new SignedRequests("not-the-gatekeepers-secret").post("/query", SELECT)), "does not match");
    }

    @Test
    void aReplayedRequestIs401AndForwardedOnlyOnce() {
        String requestId = "replayed-request";
        long now = System.currentTimeMillis();
        assertEquals(200, send(GATEKEEPER.post("/fetch_random", SELECT, requestId, now)).statusCode());
        proxy.only();
        proxy.reset(ROWS);
        assertHopRefused(send(GATEKEEPER.post("/fetch_random", SELECT, requestId, now)), "replay");
    }

    @Test
    void aStaleOrFutureSignatureIs401AndNeverForwarded() {
        long now = System.currentTimeMillis();
        assertHopRefused(send(GATEKEEPER.post("/query", SELECT, "stale-request", now - 60_000)), "stale");
        assertHopRefused(send(GATEKEEPER.post("/query", SELECT, "future-request", now + 60_000)), "from the future");
    }

    @Test
    void aSignatureCoversTheBodyAndThePath() {
        MutableHttpRequest<byte[]> signed = GATEKEEPER.post("/fetch_direct", SELECT);
        byte[] changed = new String(signed.getBody().orElseThrow(), StandardCharsets.UTF_8).replace("\"params\": [1]", "\"params\": [2]")
                .getBytes(StandardCharsets.UTF_8);
        assertHopRefused(EncodedBodies.post(uri("/fetch_direct"), null, changed, hopHeaders(signed)), "does not match");
        assertHopRefused(EncodedBodies.post(uri("/query"), null, signed.getBody().orElseThrow(), hopHeaders(signed)), "does not match");
    }

    /** Paths the router takes for a route but that the hop filter does not read as one are no route: 404, never a 500. */
    @ParameterizedTest
    @CsvSource({"/query/", "/%71uery", "/fetch_random/"})
    void aPathThatOnlyLooksLikeARouteIs404(String path) {
        assertRefused(EncodedBodies.post(uri(path), null, bytes(SELECT), Map.of()), 404, "NOT_FOUND");
        proxy.assertNothingReceived(path + " is not a route");
    }

    // Signed requests this tier refuses for itself

    @Test
    void aTableOffThisTiersOwnListIs403EvenThoughTheGatekeeperSignedIt() {
        double mismatches = classMismatches();
        HttpResponse<String> answer = send(GATEKEEPER.post("/fetch_customized",
                "{\"sql\": \"SELECT `id` FROM `customized_table`\", \"statementClass\": \"read\"}"));
        assertRefused(answer, 403, "TABLE_FORBIDDEN");
        assertTrue(answer.body().contains("customized_table"), answer.body());
        proxy.assertNothingReceived("a table off the trusted host's list");
        assertEquals(mismatches, classMismatches(), "not a class mismatch");
    }

    @ParameterizedTest(name = "{1} signed as {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "read         | DELETE FROM `direct_table` WHERE `id` = 1",
            "insert       | SELECT `id` FROM `direct_table`",
            "read         | SELECT `id` FROM `direct_table` FOR UPDATE",
            "locking-read | SELECT `id` FROM `direct_table`",
            "update       | INSERT INTO `random_table` (`column1`) VALUES (1)",
    })
    void aSignedClassThatDiffersFromTheStatementIs403AndCounted(String statementClass, String sql) {
        double mismatches = classMismatches();
        HttpResponse<String> answer = send(GATEKEEPER.post("/query",
                "{\"sql\": \"" + sql + "\", \"statementClass\": \"" + statementClass + "\"}"));
        assertRefused(answer, 403, "STATEMENT_CLASS_MISMATCH");
        assertTrue(answer.body().contains("signed as " + statementClass), answer.body());
        proxy.assertNothingReceived("a class mismatch");
        assertEquals(mismatches + 1, classMismatches(), "sqlgate.policy.class_mismatches counts it");
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            // No role, or one that is not a role.
            "{\"key\": \"it\", \"sql\": \"SELECT 1\"}                                       | 400 | ROLE_INVALID",
            "{\"key\": \"it\", \"role\": \"admin\", \"sql\": \"SELECT 1\"}                    | 400 | ROLE_INVALID",
            "{\"key\": \"it\", \"role\": null, \"sql\": \"SELECT 1\"}                         | 400 | ROLE_INVALID",
            // A role and no key.
            "{\"role\": \"writer\", \"sql\": \"SELECT 1\"}                                  | 400 | KEY_MISSING",
            "{\"key\": \" \", \"role\": \"writer\", \"sql\": \"SELECT 1\"}                    | 400 | KEY_MISSING",
            // A reader may only read, whatever the gatekeeper signed.
            "{\"key\": \"it\", \"role\": \"reader\", \"sql\": \"DELETE FROM `direct_table` WHERE `id` = 1\", \"statementClass\": \"delete\"} | 403 | ROLE_FORBIDDEN",
            "{\"key\": \"it\", \"role\": \"reader\", \"sql\": \"SELECT 1 FOR UPDATE\", \"statementClass\": \"locking-read\"} | 403 | ROLE_FORBIDDEN",
            "{\"key\": \"it\", \"role\": \"writer\", \"sql\": \"SELECT 1\", \"statementClass\": \"banana\"} | 400 | STATEMENT_CLASS_INVALID",
            "{\"key\": \"it\", \"role\": \"writer\", \"sql\": \"SELECT 1\", \"extra\": 1}       | 400 | BODY_INVALID",
            "{\"key\": \"it\", \"role\": \"writer\", \"sql\": \"UPDATE `direct_table` SET `id` = 1\"} | 403 | WHERE_REQUIRED",
            "{\"key\": \"it\", \"role\": \"writer\", \"sql\": \"SELECT SLEEP(1)\"}              | 403 | FUNCTION_FORBIDDEN",
            "{\"key\": \"it\", \"role\": \"writer\", \"sql\": \"SELECT ?\"}                     | 400 | PARAMS_INVALID",
            "{\"key\": \"it\", \"role\": \"writer\", \"sql\": \"SELECT 1\", \"strategy\": \"x\"}  | 400 | STRATEGY_UNKNOWN",
    })
    void aSignedRequestThisTierRefusesIsNeverForwarded(String body, int status, String code) {
        HttpResponse<String> answer = send(GATEKEEPER.as(FROM_GATEKEEPER, null, null).post("/query", body));
        assertRefused(answer, status, code);
        proxy.assertNothingReceived(body + " was refused");
    }

    private static double classMismatches() {
        return trustedHost.getApplicationContext().getBean(MeterRegistry.class).get("sqlgate.policy.class_mismatches").counter().count();
    }

    private static void assertHopRefused(HttpResponse<String> answer, String reason) {
        assertRefused(answer, 401, "HOP_SIGNATURE_INVALID");
        assertTrue(answer.body().contains(reason), answer.body());
        proxy.assertNothingReceived("a hop refused for: " + reason);
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
        assertEquals(answer.headers().firstValue(HopHeaders.REQUEST_ID).orElse(null), error.get("requestId"), answer.body());
    }

    /** The signed request's headers, for sending it with another body or to another path. */
    private static Map<String, String> hopHeaders(MutableHttpRequest<byte[]> signed) {
        Map<String, String> headers = new HashMap<>();
        signed.getHeaders().forEachValue((name, value) -> {
            if (!Set.of("content-type", "content-length").contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, value);
            }
        });
        return headers;
    }

    private static HttpResponse<String> send(MutableHttpRequest<byte[]> signed) {
        return EncodedBodies.post(uri("/"), signed, null);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + trustedHost.getPort() + path);
    }
}

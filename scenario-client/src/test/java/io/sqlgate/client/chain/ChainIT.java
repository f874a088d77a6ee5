package io.sqlgate.client.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.MutableHttpRequest;
import io.sqlgate.client.Answer;
import io.sqlgate.client.GatekeeperClient;
import io.sqlgate.client.Scenario;
import io.sqlgate.client.ScenarioSummary;
import io.sqlgate.hop.Sha256;
import io.sqlgate.testkit.Chain;
import io.sqlgate.testkit.Chain.Tier;
import io.sqlgate.testkit.EncodedBodies;
import io.sqlgate.testkit.Eventually;
import io.sqlgate.testkit.LocalCluster;
import io.sqlgate.testkit.SignedRequests;
import io.sqlgate.testkit.TierProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole system as it runs: client -> gatekeeper -> trusted host -> proxy -> the local Galera cluster, each
 * tier its own process started from its jar, real HTTP and signed hops between them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChainIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final LocalCluster CLUSTER = LocalCluster.fromEnvironment();

    private Chain chain;
    private TierProcess proxy;
    private TierProcess trustedHost;
    private TierProcess gatekeeper;
    private String writerKey;
    private String readerKey;
    private String auditorKey;
    private String toTrustedHost;
    private String toProxy;

    @BeforeAll
    void startTheChain() throws IOException {
        CLUSTER.requireRunning();
        chain = Chain.on(CLUSTER).name("chain").start();
        proxy = chain.tier(Tier.PROXY);
        trustedHost = chain.tier(Tier.TRUSTED_HOST);
        gatekeeper = chain.tier(Tier.GATEKEEPER);
        writerKey = chain.writerKey();
        readerKey = chain.readerKey();
        auditorKey = chain.auditorKey();
        toTrustedHost = chain.signingSecret(Tier.GATEKEEPER);
        toProxy = chain.signingSecret(Tier.TRUSTED_HOST);
    }

    @AfterAll
    void stopTheChain() {
        if (chain != null) {
            chain.close();
        }
    }

    @Test
    void theOriginalScenarioPassesThroughAllThreeTiers() throws SQLException, IOException {
        Map<String, LocalCluster.TableState> before = tables();
        GatekeeperClient client = new GatekeeperClient(URI.create(gatekeeper.url() + "/"), writerKey, Duration.ofSeconds(20));
        List<Answer> answers = new Scenario(client, 20, 20).run(line -> { });
        ScenarioSummary summary = new ScenarioSummary(answers);
        assertTrue(summary.allOk(), summary.render());
        assertEquals(Map.of(200, 120), summary.byStatus());
        Map<String, Map<String, Integer>> servedBy = summary.servedBy();
        assertEquals(Map.of("node1", 60), servedBy.get("/populate_tables"));
        assertEquals(Map.of("node1", 20), servedBy.get("/fetch_direct"));
        assertTrue(Set.of("node2", "node3").containsAll(servedBy.get("/fetch_random").keySet()), servedBy.toString());
        assertTrue(Set.of("node2", "node3").containsAll(servedBy.get("/fetch_customized").keySet()), servedBy.toString());
        for (Answer read : answers.subList(60, 120)) {
            JsonNode rows = parse(read.body());
            assertEquals(1, rows.size(), read.body());
            assertEquals(3, rows.get(0).size(), read.body());
        }
        Map<String, LocalCluster.TableState> after = tables();
        before.forEach((table, state) -> assertEquals(state.rows() + 20, after.get(table).rows(), table));
    }

    @Test
    void everyTierCountsItsRequestsByRouteAndStatusWithoutGrowingASeriesPerPath() throws Exception {
        List<TierProcess> tiers = List.of(gatekeeper, trustedHost, proxy);
        Map<TierProcess, Double> before = new HashMap<>();
        for (TierProcess tier : tiers) {
            before.put(tier, requestsCounted(tier, "/fetch_direct", 200));
        }
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = post(gatekeeper.url() + "/fetch_direct", "application/json", readerKey,
                    "{\"sql\": \"SELECT * FROM direct_table LIMIT 1\"}", Map.of());
            assertEquals(200, response.statusCode(), response.body());
        }
        for (TierProcess tier : tiers) {
            assertEquals(before.get(tier) + 3, requestsCounted(tier, "/fetch_direct", 200), tier.toString());
        }
        String unknown = "/no-such-route-" + UUID.randomUUID();
        assertEquals(404, post(gatekeeper.url() + unknown, "application/json", readerKey, "{}", Map.of()).statusCode());
        assertTrue(requestsCounted(gatekeeper, "other", 404) >= 1, "an unknown path counts as other");
        assertFalse(gatekeeper.get("/prometheus").contains(unknown), "no series is named after a client's path");
    }

    /** The count of sqlgate_http_requests_seconds for a route and status in a tier's Prometheus scrape (0 when absent). */
    private static double requestsCounted(TierProcess tier, String route, int status) throws IOException {
        String labels = "route=\"" + route + "\",status=\"" + status + "\"";
        return tier.get("/prometheus").lines().filter(line -> line.startsWith("sqlgate_http_requests_seconds_count{") && line.contains(labels))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void theRequestIdIsInTheAnswerAndInEveryTiersLogLine() throws Exception {
        String requestId = "chain-" + UUID.randomUUID();
        HttpResponse<String> response = post(gatekeeper.url() + "/fetch_random", "application/json", writerKey,
                "{\"sql\": \"SELECT * FROM random_table LIMIT 1\"}", Map.of("X-Request-Id", requestId));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(requestId, response.headers().firstValue("X-Request-Id").orElseThrow());
        String servedBy = response.headers().firstValue("X-Served-By").orElseThrow();
        for (TierProcess tier : List.of(gatekeeper, trustedHost, proxy)) {
            Eventually.await(Duration.ofSeconds(5), tier + " logs " + requestId, () -> accessLine(tier, requestId) != null);
            JsonNode line = accessLine(tier, requestId);
            assertEquals("/fetch_random", line.get("path").asText());
            assertEquals(200, line.get("status").asInt());
            assertTrue(line.has("latencyMs") && line.has("@timestamp") && line.has("tier"), line.toString());
            assertEquals(servedBy, line.get("node").asText(), "each tier logs the node that served the read");
        }
        assertEquals("chain-writer", accessLine(gatekeeper, requestId).get("key").asText());
        assertEquals("random", accessLine(proxy, requestId).get("strategy").asText());

        HttpResponse<String> malformedId = post(gatekeeper.url() + "/fetch_direct", "application/json", writerKey,
                "{\"sql\": \"SELECT * FROM direct_table LIMIT 1\"}", Map.of("X-Request-Id", "bad id with spaces\u00e9"));
        String replaced = malformedId.headers().firstValue("X-Request-Id").orElseThrow();
        assertFalse(replaced.contains(" "), "a malformed incoming id is replaced");
    }

    static Stream<Object[]> refusals() {
        String insert = "{\"sql\": \"INSERT INTO direct_table (column1, column2) VALUES ('refused', 'x')\"}";
        return Stream.of(
                new Object[]{"no key", "/populate_tables", null, insert, "application/json", 401, "AUTH_MISSING"},
                new Object[]{"wrong key", "/populate_tables", "not-a-key", insert, "application/json", 401, "AUTH_INVALID"},
                new Object[]{"reader writing", "/populate_tables", "READER", insert, "application/json", 403, "ROLE_FORBIDDEN"},
                new Object[]{"DROP", "/query", "WRITER", "{\"sql\": \"DROP TABLE direct_table\"}", "application/json", 403, "SQL_FORBIDDEN"},
                new Object[]{"CREATE", "/query", "WRITER", "{\"sql\": \"CREATE TABLE x (id INT)\"}", "application/json", 403, "SQL_FORBIDDEN"},
                new Object[]{"TRUNCATE", "/query", "WRITER", "{\"sql\": \"TRUNCATE TABLE direct_table\"}", "application/json", 403, "SQL_FORBIDDEN"},
                new Object[]{"system schema", "/fetch_direct", "WRITER", "{\"sql\": \"SELECT * FROM mysql.user\"}", "application/json", 403, "SYSTEM_SCHEMA_FORBIDDEN"},
                new Object[]{"information_schema", "/fetch_direct", "WRITER", "{\"sql\": \"SELECT table_name FROM information_schema.tables\"}", "application/json", 403, "SYSTEM_SCHEMA_FORBIDDEN"},
                new Object[]{"table not allowed", "/fetch_direct", "WRITER", "{\"sql\": \"SELECT * FROM secrets\"}", "application/json", 403, "TABLE_FORBIDDEN"},
                new Object[]{"other database", "/fetch_direct", "WRITER", "{\"sql\": \"SELECT * FROM other_db.direct_table\"}", "application/json", 403, "TABLE_FORBIDDEN"},
                new Object[]{"SLEEP", "/fetch_direct", "WRITER", "{\"sql\": \"SELECT SLEEP(5)\"}", "application/json", 403, "FUNCTION_FORBIDDEN"},
                new Object[]{"BENCHMARK", "/fetch_direct", "WRITER", "{\"sql\": \"SELECT BENCHMARK(100000000, MD5('x'))\"}", "application/json", 403, "FUNCTION_FORBIDDEN"},
                new Object[]{"LOAD_FILE", "/fetch_direct", "WRITER", "{\"sql\": \"SELECT LOAD_FILE('/etc/passwd')\"}", "application/json", 403, "FUNCTION_FORBIDDEN"},
                new Object[]{"GET_LOCK in a write", "/populate_tables", "WRITER", "{\"sql\": \"UPDATE direct_table SET column1 = GET_LOCK('x', 10) WHERE id = 1\"}", "application/json", 403, "FUNCTION_FORBIDDEN"},
                new Object[]{"INTO OUTFILE", "/fetch_direct", "WRITER", "{\"sql\": \"SELECT * FROM direct_table INTO OUTFILE '/tmp/x'\"}", "application/json", 400, "SQL_PARSE_ERROR"},
                new Object[]{"LOAD DATA", "/query", "WRITER", "{\"sql\": \"LOAD DATA INFILE '/etc/passwd' INTO TABLE direct_table\"}", "application/json", 400, "SQL_PARSE_ERROR"},
                new Object[]{"stacked statements", "/populate_tables", "WRITER", "{\"sql\": \"INSERT INTO direct_table (column1) VALUES ('x'); DROP TABLE direct_table\"}", "application/json", 400, "SQL_MULTIPLE_STATEMENTS"},
                new Object[]{"DELETE without WHERE", "/populate_tables", "WRITER", "{\"sql\": \"DELETE FROM direct_table\"}", "application/json", 403, "WHERE_REQUIRED"},
                new Object[]{"UPDATE without WHERE", "/populate_tables", "WRITER", "{\"sql\": \"UPDATE direct_table SET column1 = 'x'\"}", "application/json", 403, "WHERE_REQUIRED"},
                new Object[]{"body too large", "/populate_tables", "WRITER", "{\"sql\": \"" + "x".repeat(70_000) + "\"}", "application/json", 413, "BODY_TOO_LARGE"},
                new Object[]{"SQL too long", "/fetch_direct", "WRITER", "{\"sql\": \"SELECT * FROM direct_table WHERE column1 = '" + "x".repeat(9_000) + "'\"}", "application/json", 413, "SQL_TOO_LONG"},
                new Object[]{"malformed JSON", "/populate_tables", "WRITER", "{\"sql\": ", "application/json", 400, "BODY_INVALID"},
                new Object[]{"not JSON", "/populate_tables", "WRITER", "sql=DROP TABLE direct_table", "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE"},
                new Object[]{"unknown strategy", "/query", "WRITER", "{\"sql\": \"SELECT 1\", \"strategy\": \"fastest\"}", "application/json", 400, "STRATEGY_UNKNOWN"},
                new Object[]{"read on the write route", "/populate_tables", "WRITER", "{\"sql\": \"SELECT * FROM direct_table\"}", "application/json", 400, "ROUTE_MISMATCH"},
                new Object[]{"nested parameter", "/query", "WRITER", "{\"sql\": \"SELECT * FROM direct_table WHERE id = ?\", \"params\": [{\"a\": 1}]}", "application/json", 400, "PARAMS_INVALID"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusedRequestsGetAClearErrorAndReachNothing(String what, String route, String key, String body, String contentType,
                                                        int status, String code) throws Exception {
        Map<String, LocalCluster.TableState> before = tables();
        String requestId = "refused-" + UUID.randomUUID();
        String apiKey = key == null ? null : key.equals("WRITER") ? writerKey : key.equals("READER") ? readerKey : key;
        HttpResponse<String> response = post(gatekeeper.url() + route, contentType, apiKey, body, Map.of("X-Request-Id", requestId));
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = parse(response.body());
        assertEquals(code, error.get("code").asText(), response.body());
        assertFalse(error.get("error").asText().isBlank());
        assertEquals(requestId, error.get("requestId").asText());
        if (status == 401) {
            assertTrue(response.headers().firstValue("WWW-Authenticate").isPresent());
        }
        assertEquals(before, tables(), "every table's rows unchanged");
        Eventually.await(Duration.ofSeconds(5), "the gatekeeper logged the refusal", () -> accessLine(gatekeeper, requestId) != null);
        assertEquals(null, accessLine(trustedHost, requestId), "a refused request never reaches the trusted host");
    }

    @Test
    void aKeyOverItsRateIsToldWhenToRetryAndAnUnreachableTrustedHostIsA502() throws IOException {
        try (TierProcess limited = TierProcess.launch("gatekeeper").name("chain-gatekeeper-limited").environment(Map.of(
                "HOP_SIGN_SECRET", toTrustedHost, "TRUSTED_HOST_URL", "http://127.0.0.1:" + TierProcess.freePort(),
                "GATEKEEPER_API_KEYS", "limited:reader:" + Sha256.hex(readerKey),
                "GATEKEEPER_RATE_LIMIT_REQUESTS_PER_SECOND", "1", "GATEKEEPER_RATE_LIMIT_BURST", "2")).start()) {
            String select = "{\"sql\": \"SELECT * FROM direct_table LIMIT 1\"}";
            long started = System.nanoTime();
            HttpResponse<String> first = post(limited.url() + "/fetch_direct", "application/json", readerKey, select, Map.of());
            assertEquals(502, first.statusCode(), first.body());
            assertEquals("UPSTREAM_UNAVAILABLE", parse(first.body()).get("code").asText());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 3_000, "an unreachable tier fails fast");
            // The burst (2) is answered, then the key is refused; a slow machine may refill a token a second meanwhile.
            int answered = 1;
            HttpResponse<String> refused = null;
            while (refused == null && answered < 20) {
                HttpResponse<String> answer = post(limited.url() + "/fetch_direct", "application/json", readerKey, select, Map.of());
                if (answer.statusCode() == 429) {
                    refused = answer;
                } else {
                    assertEquals("UPSTREAM_UNAVAILABLE", parse(answer.body()).get("code").asText(), answer.body());
                    answered++;
                }
            }
            long seconds = (long) Math.ceil((System.nanoTime() - started) / 1e9);
            assertNotNull(refused, answered + " requests answered in " + seconds + " s, none refused");
            assertTrue(answered >= 2 && answered <= 2 + seconds, answered + " requests answered before the refusal, in " + seconds + " s");
            assertEquals("RATE_LIMITED", parse(refused.body()).get("code").asText());
            assertTrue(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow()) >= 1);
        }
    }

    @Test
    void theTrustedHostAndTheProxyRefuseAnythingNotSignedByTheTierBefore() throws Exception {
        Map<String, LocalCluster.TableState> before = tables();
        String insert = "{\"sql\": \"INSERT INTO direct_table (column1, column2) VALUES ('bypass', 'x')\"}";
        for (TierProcess tier : List.of(trustedHost, proxy)) {
            String rightSecret = tier == trustedHost ? toTrustedHost : toProxy;
            String wrongSecret = tier == trustedHost ? toProxy : toTrustedHost;
            assertBypassRefused(post(tier.url() + "/populate_tables", "application/json", null, insert, Map.of()), "unsigned");
            assertBypassRefused(signedPost(tier, wrongSecret, "/populate_tables", insert, System.currentTimeMillis()),
                    "signed with another hop's secret");
            assertBypassRefused(signedPost(tier, rightSecret, "/populate_tables", insert, System.currentTimeMillis() - 31_000), "stale");
            assertBypassRefused(post(tier.url() + "/populate_tables", "application/json", null, "garbage", Map.of()), "unsigned garbage");
        }
        assertEquals(before, tables(), "every table's rows unchanged");
        for (TierProcess tier : List.of(trustedHost, proxy)) {
            String search = "{\"role\": \"auditor\", \"caller\": \"bypass\"}";
            assertBypassRefused(post(tier.url() + "/audit", "application/json", null, search, Map.of()), "an unsigned search of the ledger");
            assertBypassRefused(signedPost(tier, tier == trustedHost ? toProxy : toTrustedHost, "/audit", search, System.currentTimeMillis()),
                    "a search of the ledger signed with another hop's secret");
        }

        // signed as the trusted host signs, key and role in the body: answered once, refused when sent again
        MutableHttpRequest<byte[]> read = new SignedRequests(toProxy).post("/fetch_direct", "{\"sql\": \"SELECT * FROM direct_table LIMIT 1\"}");
        HttpResponse<String> first = EncodedBodies.post(proxy.url(), read, null);
        assertEquals(200, first.statusCode(), first.body());
        assertBypassRefused(EncodedBodies.post(proxy.url(), read, null), "replayed");
    }

    @Test
    void onlyThePublicTierDatesItsAnswers() throws Exception {
        String read = "{\"sql\": \"SELECT * FROM direct_table LIMIT 1\"}";
        HttpResponse<String> outside = post(gatekeeper.url() + "/fetch_direct", "application/json", writerKey, read, Map.of());
        assertEquals(200, outside.statusCode(), outside.body());
        assertTrue(outside.headers().firstValue("Date").isPresent(), outside.headers().toString());

        HttpResponse<String> inside = signedPost(proxy, toProxy, "/fetch_direct", read, System.currentTimeMillis());
        assertEquals(200, inside.statusCode(), inside.body());
        assertTrue(inside.headers().firstValue("Date").isEmpty(), inside.headers().toString());
    }

    /** A request signed with {@code secret} as a tier signs it for the next, sent as signed. */
    private static HttpResponse<String> signedPost(TierProcess tier, String secret, String route, String body, long timestamp) {
        return EncodedBodies.post(tier.url(), new SignedRequests(secret).post(route, body, "signed-" + UUID.randomUUID(), timestamp), null);
    }

    @Test
    void onlyAnAuditorReadsTheLedgerWhichFindsEachWriteByRequestKeyTableAndTime() throws Exception {
        String run = "chain-audit-" + UUID.randomUUID();
        List<String> requestIds = List.of(run + "-1", run + "-2", run + "-3");
        for (String requestId : requestIds) {
            HttpResponse<String> write = post(gatekeeper.url() + "/query", "application/json", writerKey,
                    "{\"sql\": \"INSERT INTO direct_table (column1, column2) VALUES (?, 'audit')\", \"params\": [\"" + requestId + "\"]}",
                    Map.of("X-Request-Id", requestId));
            assertEquals(200, write.statusCode(), write.body());
        }

        JsonNode page = audit("requestId=" + requestIds.get(0), auditorKey, 200);
        assertEquals(1, page.get("entries").size(), page.toString());
        JsonNode entry = page.get("entries").get(0);
        assertEquals(requestIds.get(0), entry.get("requestId").asText());
        assertEquals("chain-writer", entry.get("keyName").asText());
        assertEquals("query", entry.get("route").asText());
        assertEquals("INSERT INTO `direct_table`(`column1`, `column2`) VALUES (...)", entry.get("digestText").asText());
        assertEquals(Sha256.hex(entry.get("digestText").asText()), entry.get("digest").asText());
        assertEquals("[\"main_db.direct_table\"]", entry.get("tables").toString());
        assertEquals(1, entry.get("affectedRows").asLong());
        assertEquals("node1", entry.get("node").asText());
        assertFalse(entry.has("params"), "values are not kept by default");
        assertTrue(entry.get("recordedAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"), entry.toString());
        assertFalse(page.has("next"), "one entry, one page");

        // newest first, a page at a time, by key and table (qualified or not), within a time range
        String recordedAt = entry.get("recordedAt").asText();
        String filter = "keyName=chain-writer&table=direct_table&from=" + recordedAt + "&limit=1";
        List<String> seen = new java.util.ArrayList<>();
        String next = null;
        do {
            JsonNode onePage = audit(filter + (next == null ? "" : "&before=" + next), auditorKey, 200);
            onePage.get("entries").forEach(e -> seen.add(e.get("requestId").asText()));
            next = onePage.has("next") ? onePage.get("next").asText() : null;
        } while (next != null && seen.size() < 10);
        assertEquals(List.of(requestIds.get(2), requestIds.get(1), requestIds.get(0)), seen.stream().filter(id -> id.startsWith(run)).toList());
        assertEquals(0, audit("requestId=" + requestIds.get(0) + "&to=" + recordedAt, auditorKey, 200).get("entries").size(),
                "to is exclusive");
        assertEquals(1, audit("requestId=" + requestIds.get(0) + "&table=main_db.direct_table", auditorKey, 200).get("entries").size());
        assertEquals(0, audit("requestId=" + requestIds.get(0) + "&table=random_table", auditorKey, 200).get("entries").size());

        // readers and writers may not read it; an auditor runs no statement; a search that is not one is a 400
        for (String key : List.of(readerKey, writerKey)) {
            assertEquals("ROLE_FORBIDDEN", audit("requestId=" + requestIds.get(0), key, 403).get("code").asText());
        }
        HttpResponse<String> statement = post(gatekeeper.url() + "/query", "application/json", auditorKey,
                "{\"sql\": \"SELECT * FROM direct_table LIMIT 1\"}", Map.of());
        assertEquals(403, statement.statusCode(), statement.body());
        assertEquals("ROLE_FORBIDDEN", parse(statement.body()).get("code").asText());
        for (String bad : List.of("limit=0", "limit=51", "limit=x", "from=yesterday", "table=a;b", "table=no_such_table", "before=not-a-cursor", "sql=1",
                "from=+1000000000-01-01T00:00:00Z",
                "requestId=a&requestId=b", "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")) {
            JsonNode refused = audit(bad, auditorKey, 400);
            assertEquals("AUDIT_QUERY_INVALID", refused.get("code").asText(), bad);
        }
        assertEquals("AUTH_MISSING", audit("limit=1", null, 401).get("code").asText());
    }

    /** GET /audit on the gatekeeper with this query and key, its status asserted, its body parsed. */
    private JsonNode audit(String query, String apiKey, int status) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(gatekeeper.url() + "/audit?" + query)).timeout(Duration.ofSeconds(20)).GET();
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        try {
            HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(status, response.statusCode(), query + ": " + response.body());
            return parse(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void assertBypassRefused(HttpResponse<String> response, String what) throws IOException {
        assertEquals(401, response.statusCode(), what + ": " + response.body());
        assertEquals("HOP_SIGNATURE_INVALID", parse(response.body()).get("code").asText(), what);
    }

    private static HttpResponse<String> post(String url, String contentType, String apiKey, String body,
                                             Map<String, String> headers) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        headers.forEach(builder::header);
        try {
            return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The access-log line a tier wrote for a request id, or null. */
    private static JsonNode accessLine(TierProcess tier, String requestId) {
        try {
            for (String line : tier.logLines()) {
                if (line.startsWith("{") && line.contains(requestId)) {
                    JsonNode node = JSON.readTree(line);
                    if ("request".equals(node.path("message").asText()) && requestId.equals(node.path("requestId").asText())) {
                        return node;
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String json) throws IOException {
        JsonNode node = JSON.readTree(json);
        assertNotNull(node, "empty body");
        return node;
    }

    /** Each of the scenario's tables, every row read: a statement that changed anything shows here. */
    private static Map<String, LocalCluster.TableState> tables() throws SQLException {
        return CLUSTER.tables("node1", Scenario.TABLES);
    }
}

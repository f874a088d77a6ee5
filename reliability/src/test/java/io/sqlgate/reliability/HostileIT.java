package io.sqlgate.reliability;

import io.sqlgate.hop.testing.LocalCluster;
import io.sqlgate.hop.testing.TierProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    private final ClusterEnv cluster = ClusterEnv.fromEnvironment(LocalCluster.repositoryRoot());
    private final String toTrustedHost = "hostile-it-gatekeeper-" + UUID.randomUUID();
    private final String toProxy = "hostile-it-trusted-host-" + UUID.randomUUID();
    private final String writerKey = "hostile-it-writer-" + UUID.randomUUID();
    private final String readerKey = "hostile-it-reader-" + UUID.randomUUID();
    private TierProcess proxy;
    private TierProcess trustedHost;
    private TierProcess gatekeeper;

    @BeforeAll
    void startTheChain() throws IOException {
        LocalCluster.requireRunning();
        Map<String, String> proxyEnv = new java.util.HashMap<>(cluster.proxyEnvironment());
        proxyEnv.put("HOP_VERIFY_SECRET", toProxy);
        proxy = TierProcess.start("proxy", "hostile-proxy", proxyEnv);
        trustedHost = TierProcess.start("trusted-host", "hostile-trusted-host", Map.of("HOP_VERIFY_SECRET", toTrustedHost,
                "HOP_SIGN_SECRET", toProxy, "PROXY_URL", proxy.url()));
        // The limiter is not under test here: every request must meet the checks behind it.
        gatekeeper = TierProcess.start("gatekeeper", "hostile-gatekeeper", Map.of("HOP_SIGN_SECRET", toTrustedHost,
                "TRUSTED_HOST_URL", trustedHost.url(), "GATEKEEPER_API_KEYS", "hostile-writer:writer:" + Chain.sha256(writerKey)
                        + ",hostile-reader:reader:" + Chain.sha256(readerKey),
                "GATEKEEPER_RATE_LIMIT_REQUESTS_PER_SECOND", "100000", "GATEKEEPER_RATE_LIMIT_BURST", "100000"));
    }

    @AfterAll
    void stopTheChain() {
        for (TierProcess tier : new TierProcess[]{gatekeeper, trustedHost, proxy}) {
            if (tier != null) {
                tier.close();
            }
        }
    }

    @Test
    void everyHostileRequestIsAFastClearRefusalAndTheDatabaseIsUnchanged() throws Exception {
        DatabaseState before = DatabaseState.capture(cluster);
        long passedOnBefore = requestsLogged(trustedHost);
        List<HostileRequest> corpus = HostileCorpus.generate(SEED, COUNT, writerKey, readerKey);

        HostileRun.Result result = HostileRun.send(corpus, "127.0.0.1", gatekeeper.port(), 4, Duration.ofSeconds(2));

        assertEquals(COUNT, result.sent());
        assertEquals(List.of(), result.failures().stream().limit(20).map(HostileRun.Failure::toString).toList(), result.report());
        assertEquals(HostileCorpus.CATEGORIES.size(), result.byCategory().size(), "every family was sent");
        result.byCategory().forEach((family, statuses) -> assertTrue(statuses.values().stream().mapToInt(Integer::intValue).sum() >= 150,
                family + " was sent often enough"));
        assertTrue(result.maxLatencyMs() < 2_000, result.report());
        assertEquals(List.of(), before.differences(DatabaseState.capture(cluster)), "the database is unchanged");
        assertEquals(passedOnBefore, requestsLogged(trustedHost), "no hostile request got past the gatekeeper");
    }

    /** The control: the same raw sender gets ordinary answers, so the refusals above are the chain's, not the harness's. */
    @Test
    void theSameSenderGetsOrdinaryRequestsAnswered() {
        for (String route : List.of("/fetch_direct", "/fetch_random", "/fetch_customized")) {
            HostileRequest ordinary = new HostileRequest.Builder().path(route).header("Authorization", "Bearer " + readerKey)
                    .json("{\"sql\": \"SELECT id, column1 FROM direct_table ORDER BY id LIMIT 1\"}").build("control", route);
            RawHttp.Response response = RawHttp.send("127.0.0.1", gatekeeper.port(), ordinary.bytes(), Duration.ofSeconds(10));
            assertEquals(200, response.status(), response.bodyText());
            assertTrue(response.bodyText().startsWith("["), response.bodyText());
        }
    }

    private static long requestsLogged(TierProcess tier) throws IOException {
        return tier.logLines().stream().filter(line -> line.contains("\"message\":\"request\"")).count();
    }
}

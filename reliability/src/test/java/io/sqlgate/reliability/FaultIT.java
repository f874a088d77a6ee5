package io.sqlgate.reliability;

import io.sqlgate.reliability.Outcome.Op;
import io.sqlgate.testkit.Chain;
import io.sqlgate.testkit.Chain.Tier;
import io.sqlgate.testkit.DelayingTcpRelay;
import io.sqlgate.testkit.Eventually;
import io.sqlgate.testkit.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The faults of {@code bin/fault-suite}, smaller, under a steady mixed load through the whole chain (each tier
 * its own process): a read node killed mid-run, the proxy restarted, the writer killed. Each asserts the clean
 * error or its absence, the recovery without any action but restarting what was stopped, and that every write
 * answered 200 is on every node. The cluster is left as found, all three nodes Synced, whatever happens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(20);

    private final LocalCluster cluster = LocalCluster.fromEnvironment();
    private Chain chain;
    private Load load;
    /** Every node is reached through a relay that can hold its answers back (a slow node). */
    private final Map<String, DelayingTcpRelay> relays = new java.util.LinkedHashMap<>();

    @BeforeAll
    void startTheChain() throws IOException {
        cluster.requireRunning();
        Eventually.await(Duration.ofMinutes(2), "all three nodes Synced", cluster::allSynced);
        // Killed for real, a node behind its relay is refused as it would be without it.
        Map<String, String> nodePorts = new java.util.HashMap<>();
        for (String node : LocalCluster.NODES) {
            relays.put(node, new DelayingTcpRelay(cluster.port(node)));
            nodePorts.put("SQLGATE_" + node.toUpperCase(java.util.Locale.ROOT) + "_PORT", Integer.toString(relays.get(node).port()));
        }
        chain = Chain.on(cluster).name("fault")
                .environment(Tier.PROXY, nodePorts)
                .environment(Tier.GATEKEEPER, Map.of("GATEKEEPER_RATE_LIMIT_REQUESTS_PER_SECOND", "100000",
                        "GATEKEEPER_RATE_LIMIT_BURST", "100000"))
                .start();
    }

    @AfterEach
    void leaveTheClusterAsFound() {
        if (load != null) {
            load.stop();
        }
        for (String node : LocalCluster.NODES) {
            if ("down".equals(cluster.state(node))) {
                cluster.startNode(node);
            }
        }
        Eventually.await(Duration.ofMinutes(2), "all three nodes Synced again", cluster::allSynced);
    }

    @AfterAll
    void stopTheChain() throws IOException {
        if (chain != null) {
            chain.close();
        }
        for (DelayingTcpRelay relay : relays.values()) {
            relay.close();
        }
    }

    private Load startLoad(String run) {
        load = new Load(new Load.Settings(chain.url(Tier.GATEKEEPER), chain.writerKey(), run, 4, 40, Duration.ofSeconds(25), 20_000)).start();
        return load;
    }

    @Test
    @Order(1)
    void aKilledReadNodeIsTakenOutAndBroughtBackWithoutAnyClientSeeingAnError() throws Exception {
        String run = "fault-it-read-" + System.currentTimeMillis();
        Load load = startLoad(run);
        present(load.await(0, Duration.ofSeconds(30), o -> o.ok() && "node3".equals(o.servedBy())), "node3 serving reads before the fault");

        double killed = load.now();
        cluster.killNode("node3");
        Eventually.await(Duration.ofSeconds(15), "the proxy takes node3 out", () -> nodeUp("node3") == 0);
        double out = load.now();
        present(load.await(out, Duration.ofSeconds(20), o -> o.ok() && o.op() == Op.FETCH_RANDOM && o.startMs() > out + 1_000),
                "random reads answered while node3 is down");

        double restarted = load.now();
        cluster.startNode("node3");
        Outcome back = present(load.await(restarted, Duration.ofSeconds(60), o -> o.ok() && "node3".equals(o.servedBy())),
                "node3 serving reads again after its restart");
        load.stop();

        List<Outcome> outcomes = record(load, "read-node");
        List<Outcome> down = outcomes.stream().filter(o -> o.startMs() < restarted && o.endMs() > killed).toList();
        assertTrue(down.stream().anyMatch(o -> o.op().write()) && down.stream().anyMatch(o -> !o.op().write()), "load ran during the fault");
        assertEquals(Map.of("200", (long) down.size()), byStatus(down),
                "while node3 is dead every request is answered 200: reads on it are retried elsewhere, writes go to the writer");
        assertTrue(down.stream().noneMatch(o -> "node3".equals(o.servedBy()) && o.startMs() > out),
                "nothing served by node3 once it was out");
        // Its rejoin makes Galera change views; on a busy machine the others can briefly lose the primary
        // component. Whatever the cluster does meanwhile, a client only ever sees a clear, retryable answer.
        // A commit that meets the view change may or may not have committed: a clear answer too, never repeated.
        assertOnlyCleanErrors(outcomes, Set.of("503 NODE_UNAVAILABLE", "503 NODE_BUSY", "503 WRITE_OUTCOME_UNKNOWN",
                "409 TRANSACTION_CONFLICT", "504 QUERY_TIMEOUT"));
        assertBounded(outcomes);
        assertNoStaleRead(outcomes);
        assertNoAcknowledgedWriteLost(run, outcomes);
    }

    @Test
    @Order(2)
    void aRestartedProxyMeansA502MeanwhileAndServesAgainOnItsPort() throws Exception {
        String run = "fault-it-proxy-" + System.currentTimeMillis();
        Load steady = startLoad(run);
        present(steady.await(0, Duration.ofSeconds(30), o -> o.ok() && o.op().write()), "writes answered before the restart");
        steady.stop();
        List<Outcome> outcomes = new ArrayList<>(steady.outcomes());

        // A write in flight when the proxy is told to stop (held back by a slow writer) is finished, not failed.
        String inFlightValue = run + "-in-flight";
        String writer = writer();
        String acquired = writer + "-app acquire_seconds_count";
        double acquiredBefore = poolGauge(acquired);
        relays.get(writer).delay(800);
        CompletableFuture<HttpResponse<String>> inFlight;
        try {
            inFlight = HTTP.sendAsync(HttpRequest.newBuilder(chain.url(Tier.GATEKEEPER).resolve("/populate_tables"))
                    .timeout(Duration.ofSeconds(25)).header("Content-Type", "application/json").header("Authorization", "Bearer " + chain.writerKey())
                    .header("X-Request-Id", inFlightValue)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"sql\": \"INSERT INTO direct_table (column1, column2) VALUES ('"
                            + inFlightValue + "', 'reliability')\"}")).build(), HttpResponse.BodyHandlers.ofString());
            // it has its connection (HikariCP counts acquisitions as they happen) and waits on the slow primary
            Eventually.await(Duration.ofSeconds(5), "the write waiting on the writer " + writer,
                    () -> poolGauge(acquired) > acquiredBefore);
            chain.stop(Tier.PROXY);
        } finally {
            relays.get(writer).delay(0);
        }
        HttpResponse<String> finished = inFlight.get(20, TimeUnit.SECONDS);
        assertEquals(200, finished.statusCode(), "a write in flight during the proxy's shutdown: " + finished.body());

        outcomes.add(new Outcome(-1, Op.WRITE_POPULATE, inFlightValue, 0, 0, finished.statusCode(), null, null, false, true, null));

        // the proxy is away: requests meanwhile
        Load load = startLoad(run + "-b");
        double stopped = load.now();
        present(load.await(stopped, Duration.ofSeconds(20), o -> o.status() == 502), "a 502 while the proxy is away");
        double restarting = load.now();
        chain.start(Tier.PROXY);
        present(load.await(restarting, Duration.ofSeconds(30), o -> o.ok() && o.op().write() && o.startMs() > restarting),
                "writes answered 200 after the restart");
        load.stop();

        outcomes.addAll(record(load, "proxy-restart"));
        List<Outcome> errors = outcomes.stream().filter(o -> !o.ok()).toList();
        assertFalse(errors.isEmpty());
        for (Outcome error : errors) {
            assertEquals("502 UPSTREAM_UNAVAILABLE", error.label(), "the only error is the clear 502: " + error);
            assertTrue(error.latencyMs() < 3_000, "an unreachable proxy is a fast answer: " + error);
        }
        assertBounded(outcomes);
        assertNoStaleRead(outcomes);
        assertNoAcknowledgedWriteLost(run, outcomes);
    }

    /**
     * Last: the writer moves for good (no failback). Whichever node is the writer is killed: the tests before may
     * have moved it, when a Galera view change took the preferred node out of the primary component for a moment.
     */
    @Test
    @Order(3)
    void aKilledWriterIsReplacedWithinSecondsAndEveryWriteAnswered200IsOnEveryNode() throws Exception {
        String run = "fault-it-writer-" + System.currentTimeMillis();
        String killedWriter = writer();
        Load load = startLoad(run);
        present(load.await(0, Duration.ofSeconds(30), o -> o.ok() && o.op().write() && killedWriter.equals(o.servedBy())),
                "writes answered by the writer " + killedWriter + " before the fault");

        double killed = load.now();
        cluster.killNode(killedWriter);
        Outcome moved = present(load.await(killed, Duration.ofSeconds(20), o -> o.ok() && o.op().write() && o.startMs() > killed
                && !killedWriter.equals(o.servedBy())), "a write answered 200 by another node");
        assertTrue(moved.endMs() - killed < 5_000, "writes moved " + (moved.endMs() - killed) + " ms after the kill: " + moved);
        String writer = moved.servedBy();
        double steady = moved.endMs();
        present(load.await(steady, Duration.ofSeconds(20), o -> o.op().write() && o.startMs() > steady + 2_000),
                "two more seconds of load with " + killedWriter + " down");
        double restarted = load.now();
        List<Outcome> down = load.outcomes().stream().filter(o -> o.startMs() >= steady && o.endMs() <= restarted).toList();
        assertEquals("down", cluster.state(killedWriter), killedWriter + " stayed down meanwhile");

        cluster.startNode(killedWriter);
        present(load.await(restarted, Duration.ofSeconds(90), o -> o.ok() && killedWriter.equals(o.servedBy()) && !o.op().write()),
                killedWriter + " serving reads again after its restart");
        double back = load.now();
        present(load.await(back, Duration.ofSeconds(20), o -> o.ok() && o.op().write() && o.startMs() > back),
                "writes after " + killedWriter + " is back");
        load.stop();

        List<Outcome> outcomes = record(load, "writer");
        for (Outcome answer : down) {
            assertEquals("200", answer.label(), "with a new writer every request is answered: " + answer);
            if (answer.op().write() || "direct".equals(answer.op().strategy())) {
                assertEquals(writer, answer.servedBy(), "writes and direct reads on the new writer: " + answer);
            }
        }
        for (Outcome write : outcomes.stream().filter(o -> o.ok() && o.op().write() && o.startMs() > back).toList()) {
            assertEquals(writer, write.servedBy(), killedWriter + " came back as a reader, the writer stayed: " + write);
        }
        assertOnlyCleanErrors(outcomes, Set.of("503 NODE_UNAVAILABLE", "503 WRITE_OUTCOME_UNKNOWN", "503 NODE_BUSY",
                "409 TRANSACTION_CONFLICT", "504 QUERY_TIMEOUT"));
        assertBounded(outcomes);
        assertNoStaleRead(outcomes);
        assertNoAcknowledgedWriteLost(run, outcomes);
    }

    private void assertNoAcknowledgedWriteLost(String run, List<Outcome> outcomes) throws SQLException {
        Eventually.await(Duration.ofMinutes(2), "all three nodes Synced", cluster::allSynced);
        WriteCheck writes = WriteCheck.verify(cluster, run, outcomes);
        assertTrue(writes.acknowledged() > 0, writes.summary());
        assertTrue(writes.clean(), writes.summary());
    }

    private static void assertOnlyCleanErrors(List<Outcome> outcomes, Set<String> clean) {
        List<Outcome> unclean = outcomes.stream().filter(o -> !o.ok() && !clean.contains(o.label())).toList();
        assertEquals(List.of(), unclean, "answers other than 200 and " + clean);
    }

    /** Every request of a test, for a person looking into a failure: target/fault-it/<name>.csv. */
    private static List<Outcome> record(Load load, String name) throws IOException {
        List<Outcome> outcomes = load.outcomes();
        Path csv = Path.of("target", "fault-it", name + ".csv");
        Files.createDirectories(csv.getParent());
        FaultSuite.writeCsv(outcomes, csv);
        return outcomes;
    }

    private static void assertBounded(List<Outcome> outcomes) {
        assertTrue(outcomes.stream().allMatch(Outcome::answered), "every request answered: " + byStatus(outcomes));
        Outcome longest = outcomes.stream().max((a, b) -> Double.compare(a.latencyMs(), b.latencyMs())).orElseThrow();
        assertTrue(longest.latencyMs() < ANSWER_BOUND.toMillis(), "longest answer " + longest);
    }

    private static void assertNoStaleRead(List<Outcome> outcomes) {
        assertEquals(List.of(), outcomes.stream().filter(o -> !o.consistent()).toList(), "reads that missed an acknowledged write");
    }

    private static Map<String, Long> byStatus(List<Outcome> outcomes) {
        return outcomes.stream().collect(Collectors.groupingBy(Outcome::label, Collectors.counting()));
    }

    private static Outcome present(Optional<Outcome> outcome, String what) {
        assertTrue(outcome.isPresent(), "not seen: " + what);
        return outcome.get();
    }

    /** One of the proxy's {@code hikaricp_connections*} figures, e.g. "node1-app acquire_seconds_count"; -1 when unknown. */
    private double poolGauge(String name) {
        try {
            return PoolGauges.of(chain.tier(Tier.PROXY).get("/prometheus")).getOrDefault(name, -1.0);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The proxy's {@code sqlgate_node_up} gauge for a node: 1 up, 0 out, -1 unknown. */
    private int nodeUp(String node) {
        return (int) nodeGauge("sqlgate_node_up", node);
    }

    /** The node the proxy writes to now, waiting for one while it elects. */
    private String writer() {
        return Eventually.within(Duration.ofSeconds(20), "a writer elected").until(() -> LocalCluster.NODES.stream()
                .filter(node -> nodeGauge("sqlgate_node_writer", node) == 1).findFirst(), Optional::isPresent).orElseThrow();
    }

    /** One of the proxy's per-node gauges; -1 when unknown. */
    private double nodeGauge(String gauge, String node) {
        try {
            Matcher matcher = Pattern.compile("^" + gauge + "\\{[^}]*node=\"" + node + "\"[^}]*}\\s+(\\S+)", Pattern.MULTILINE)
                    .matcher(chain.tier(Tier.PROXY).get("/prometheus"));
            return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}

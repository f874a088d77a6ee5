package io.sqlgate.proxy.api;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sqlgate.hop.wire.ErrorBody;
import io.sqlgate.hop.wire.HopHeaders;
import io.sqlgate.hop.wire.PopulateResult;
import io.sqlgate.proxy.health.ClusterSnapshot;
import io.sqlgate.proxy.health.HealthMonitor;
import io.sqlgate.proxy.health.NodeState;
import io.sqlgate.testkit.Eventually;
import io.sqlgate.testkit.LocalCluster;
import io.sqlgate.testkit.SignedRequests;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer killed for real ({@code kill -9} of node1) under steady writes, with the shipped writer settings (no
 * failback) and monitor timing. Writes succeed again on another node while node1 is still down, within 5 s of the
 * kill; every write answered 200 is on every node exactly once; a write answered WRITE_OUTCOME_UNKNOWN is there at
 * most once and on every node or none, one answered NODE_UNAVAILABLE not at all; node1, restarted, rejoins as a
 * reader.
 */
class WriterFailoverIT {
    private static final LocalCluster CLUSTER = LocalCluster.fromEnvironment();
    private static final String SECRET = "writer-failover-it-secret";
    private static final Set<String> CLEAN_REFUSALS = Set.of("503 NODE_UNAVAILABLE", "503 WRITE_OUTCOME_UNKNOWN");

    /** One write's answer: its marker, status and code, the node that served it, when it was answered. */
    private record Answer(String marker, String label, String node, long answeredAt) {
        boolean ok() {
            return label.equals("200");
        }
    }

    @Test
    void aKilledWriterIsReplacedWithinSecondsAndNoAnsweredWriteIsLostOrDoubled() throws Exception {
        CLUSTER.requireRunning();
        Map<String, Object> properties = CLUSTER.embeddedProxyProperties(SECRET);
        String run = "failover-it-" + System.currentTimeMillis();
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties);
             HttpClient client = HttpClient.create(server.getURL())) {
            HealthMonitor monitor = server.getApplicationContext().getBean(HealthMonitor.class);
            awaitNodes(monitor, "every node up, node1 the writer", snapshot -> snapshot.nodes().stream().allMatch(NodeState::up)
                    && snapshot.writer().map(NodeState::name).orElse("").equals("node1"));
            BlockingHttpClient http = client.toBlocking();
            SignedRequests signed = new SignedRequests(SECRET);
            List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                Thread thread = new Thread(() -> {
                    for (int i = 0; writing.get(); i++) {
                        answers.add(write(http, signed, run + "-" + writer + "-" + i));
                    }
                }, "failover-writer-" + w);
                thread.start();
                writers.add(thread);
            }
            long killedAt;
            Answer firstOnAnother;
            try {
                Eventually.await(Duration.ofSeconds(10), "writes answered by node1", () -> answers.stream().filter(Answer::ok).count() >= 20);
                killedAt = System.nanoTime();
                CLUSTER.killNode("node1");
                awaitNodes(monitor, "another writer", snapshot -> snapshot.writer().filter(node -> !node.name().equals("node1")).isPresent());
                Eventually.await(Duration.ofSeconds(30), "a write answered 200 by another node", () -> firstAfter(answers, killedAt).isPresent());
                firstOnAnother = firstAfter(answers, killedAt).orElseThrow();
                // node1 is still down: the write went to the new writer, not to a restarted node1
                assertTrue(monitor.snapshot().writer().map(NodeState::name).filter(name -> !name.equals("node1")).isPresent());
                Eventually.await(Duration.ofSeconds(10), "more writes on the new writer",
                        () -> answers.stream().filter(a -> a.ok() && a.answeredAt() - firstOnAnother.answeredAt() > 0).count() >= 20);
            } finally {
                writing.set(false);
                for (Thread thread : writers) {
                    thread.join(Duration.ofSeconds(30).toMillis());
                }
                CLUSTER.startNode("node1");
            }
            String newWriter = firstOnAnother.node();
            double windowSeconds = (firstOnAnother.answeredAt() - killedAt) / 1e9;
            Map<String, Integer> labels = new TreeMap<>();
            answers.forEach(answer -> labels.merge(answer.label(), 1, Integer::sum));
            String summary = "writes moved to " + newWriter + " " + String.format("%.2f", windowSeconds) + " s after the kill; answers " + labels;
            assertTrue(windowSeconds < 5.0, summary);
            assertTrue(answers.stream().allMatch(answer -> answer.ok() || CLEAN_REFUSALS.contains(answer.label())), summary);

            // node1 rejoins as a reader: the writer stays where it moved (no failback)
            awaitNodes(monitor, "node1 back as a reader", snapshot -> snapshot.node("node1").orElseThrow().up());
            assertEquals(newWriter, monitor.snapshot().writer().orElseThrow().name(), summary);
            assertEquals("reader", monitor.snapshot().role(monitor.snapshot().node("node1").orElseThrow()));

            Map<String, Map<String, Integer>> onNodes = new TreeMap<>();
            for (String node : List.of("node1", "node2", "node3")) {
                Map<String, Integer> rows = markers(node, run);
                onNodes.put(node, rows);
                for (Answer answer : answers) {
                    int copies = rows.getOrDefault(answer.marker(), 0);
                    if (answer.ok()) {
                        assertEquals(1, copies, node + ": " + answer + "; " + summary);
                    } else if (answer.label().equals("503 WRITE_OUTCOME_UNKNOWN")) {
                        assertTrue(copies <= 1, node + ": " + answer);
                    } else {
                        assertEquals(0, copies, node + ": " + answer);
                    }
                }
                Set<String> sent = answers.stream().map(Answer::marker).collect(java.util.stream.Collectors.toSet());
                assertTrue(sent.containsAll(rows.keySet()), node + " holds rows of writes never sent");
            }
            // a write whose outcome was unknown to the proxy is on every node or on none: never on some
            for (Answer answer : answers) {
                assertEquals(1, onNodes.values().stream().map(rows -> rows.getOrDefault(answer.marker(), 0)).distinct().count(),
                        answer + " on " + onNodes.keySet());
            }
            System.out.println("WriterFailoverIT: " + summary);
        }
    }

    private static java.util.Optional<Answer> firstAfter(List<Answer> answers, long killedAt) {
        synchronized (answers) {
            return answers.stream().filter(a -> a.ok() && !a.node().equals("node1") && a.answeredAt() - killedAt > 0).findFirst();
        }
    }

    private static Answer write(BlockingHttpClient http, SignedRequests signed, String marker) {
        String body = "{\"sql\": \"INSERT INTO direct_table (column1, column2) VALUES ('" + marker + "', 'failover')\"}";
        try {
            HttpResponse<PopulateResult> response = http.exchange(signed.post("/populate_tables", body), PopulateResult.class);
            return new Answer(marker, "200", response.header(HopHeaders.SERVED_BY), System.nanoTime());
        } catch (HttpClientResponseException e) {
            String code = e.getResponse().getBody(ErrorBody.class).map(ErrorBody::code).orElse("?");
            return new Answer(marker, e.getStatus().getCode() + " " + code, "-", System.nanoTime());
        }
    }

    /** Each of this run's markers on one node, with how many rows hold it. */
    private static Map<String, Integer> markers(String node, String run) throws SQLException {
        Map<String, Integer> rows = new HashMap<>();
        Eventually.await(Duration.ofSeconds(60), node + " answers", () -> {
            try (Connection ignored = CLUSTER.connect(node)) {
                return true;
            } catch (SQLException e) {
                return false;
            }
        });
        try (Connection connection = CLUSTER.connect(node);
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT column1, COUNT(*) FROM direct_table WHERE column1 LIKE ? GROUP BY column1")) {
            statement.setString(1, run + "-%");
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.put(result.getString(1), result.getInt(2));
                }
            }
        }
        return rows;
    }

    private static void awaitNodes(HealthMonitor monitor, String what, Predicate<ClusterSnapshot> condition) {
        Eventually.await(Duration.ofSeconds(90), what, () -> condition.test(monitor.snapshot()));
    }
}

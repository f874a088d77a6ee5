package io.sqlgate.proxy.health;

import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.sqlgate.proxy.ProxyConfiguration;
import io.sqlgate.proxy.nodes.DatabaseErrors;
import io.sqlgate.proxy.nodes.Node;
import io.sqlgate.proxy.nodes.NodePools;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Owns node state and the writer. Each node has its own monitor thread that pings it on an interval over the
 * monitoring pool (no causality wait: see {@link NodePools}) and feeds the outcome to the node's
 * {@link NodeHealth}; requests report the node failures they meet the same way. After every observation the
 * {@link WriterElection} decides the whole cluster again and the result is published as a new immutable
 * {@link ClusterSnapshot}; requests only read the latest snapshot and never ping.
 */
@Context
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    private final Map<String, NodeHealth> health = new HashMap<>();
    private final Map<String, NodeState> states = new LinkedHashMap<>();
    private final Map<String, ScheduledExecutorService> threads = new LinkedHashMap<>();
    private final NodePools pools;
    private final ProxyConfiguration.Monitor settings;
    private final WriterElection election;
    private final PoolSaturation saturation = new PoolSaturation();
    private final Counter writerChanges;
    private final Map<String, Counter> ejections = new HashMap<>();
    /** Guards {@link #states} and {@link #snapshot}, and is notified on every publication. */
    private final Object publication = new Object();
    private volatile ClusterSnapshot snapshot;
    /** The last node that was the writer, across spells without one: what a change of writer is counted against. */
    private String lastWriter;

    public HealthMonitor(NodePools pools, ProxyConfiguration configuration, MeterRegistry meters) {
        this.pools = pools;
        this.settings = configuration.monitor();
        String preferred = configuration.writer().preferred() != null ? configuration.writer().preferred()
                : pools.nodes().values().stream().filter(Node::writable).findFirst().orElseThrow().name();
        this.election = new WriterElection(preferred, configuration.writer().failback());
        this.writerChanges = Counter.builder("sqlgate.proxy.writer.changes")
                .description("Times the writer changed to another node (failovers, and failbacks when they are on)").register(meters);
        for (Node node : pools.nodes().values()) {
            states.put(node.name(), NodeState.unknown(node.name(), node.writable()));
            health.put(node.name(), new NodeHealth(node.name(), node.writable(), settings.failureThreshold(),
                    settings.recoveryThreshold(), settings.maxReceiveQueue(), settings.smoothing()));
            threads.put(node.name(), Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "monitor-" + node.name());
                thread.setDaemon(true);
                return thread;
            }));
            ejections.put(node.name(), Counter.builder("sqlgate.node.ejections").tag("node", node.name())
                    .description("Times the monitor took the node out").register(meters));
            Gauge.builder("sqlgate.node.up", this, m -> m.state(node.name()).up() ? 1 : 0).tag("node", node.name())
                    .description("1 when the monitor lets the node serve, 0 otherwise").register(meters);
            Gauge.builder("sqlgate.node.writer", this, m -> m.isWriter(node.name()) ? 1 : 0).tag("node", node.name())
                    .description("1 for the node that takes the writes, 0 for the others").register(meters);
            Gauge.builder("sqlgate.node.reads_paused", this, m -> m.state(node.name()).readsPaused() ? 1 : 0).tag("node", node.name())
                    .description("1 when the node is up but serves no reads chosen by strategy: too far behind, or a Galera donor (Donor/Desynced, Joined)").register(meters);
            Gauge.builder("sqlgate.node.latency", this, m -> m.latencySeconds(node.name())).tag("node", node.name())
                    .baseUnit("seconds").description("Smoothed (EWMA) ping latency of the node").register(meters);
        }
        this.snapshot = election.decide(List.copyOf(states.values()), null);
        long interval = settings.interval().toMillis();
        threads.forEach((name, thread) -> thread.scheduleWithFixedDelay(() -> check(pools.node(name)), 0, interval, TimeUnit.MILLISECONDS));
    }

    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    /** The node the writer is preferred on. */
    public String preferredWriter() {
        return election.preferred();
    }

    /** @return how long the node's application pool has had no free connection, as of the last ping; zero if it has one */
    public Duration exhaustedFor(String node) {
        return Duration.ofNanos(saturation.exhaustedFor(node, System.nanoTime()));
    }

    /**
     * Waits, at most {@code timeout}, for a writer other than {@code failed}: after a write could not reach the
     * writer, the monitor (told by the request) elects another.
     */
    public Optional<NodeState> awaitWriterOtherThan(String failed, Duration timeout) throws InterruptedException {
        Predicate<NodeState> another = node -> !node.name().equals(failed);
        return awaitSnapshot(timeout, latest -> latest.writer().filter(another).isPresent()).writer().filter(another);
    }

    /** Waits, at most {@code timeout}, for the monitor's first election: the snapshot after it, or the latest. */
    public ClusterSnapshot awaitFirstElection(Duration timeout) throws InterruptedException {
        return awaitSnapshot(timeout, latest -> !latest.electing());
    }

    private ClusterSnapshot awaitSnapshot(Duration timeout, Predicate<ClusterSnapshot> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (publication) {
            while (true) {
                ClusterSnapshot latest = snapshot;
                long left = deadline - System.nanoTime();
                if (wanted.test(latest) || left <= 0) {
                    return latest;
                }
                TimeUnit.NANOSECONDS.timedWait(publication, left);
            }
        }
    }

    private boolean isWriter(String name) {
        return snapshot.writer().map(writer -> writer.name().equals(name)).orElse(false);
    }

    private double latencySeconds(String name) {
        double micros = state(name).latencyMicros();
        return micros < 0 ? Double.NaN : micros / 1_000_000.0;
    }

    private NodeState state(String name) {
        return snapshot.node(name).orElseThrow();
    }

    /**
     * A request that began at {@code started} (System.nanoTime) met a failure of the node. The node's own monitor
     * thread applies it, so that each node's state machine keeps a single writer.
     */
    public void reportFailure(String name, DatabaseErrors.Kind kind, String why, long started) {
        ScheduledExecutorService thread = threads.get(name);
        if (thread != null && !thread.isShutdown()) {
            thread.execute(() -> publish(health.get(name).requestFailed(started, kind, why)));
        }
    }

    /** One ping: the node's answer and its cluster status, or how it failed. */
    private void check(Node node) {
        long now = System.nanoTime();
        HikariPoolMXBean pool = node.pool().getHikariPoolMXBean();
        saturation.observe(node.name(), pool != null && pool.getIdleConnections() == 0
                && pool.getActiveConnections() >= node.pool().getMaximumPoolSize(), now);
        NodeHealth nodeHealth = health.get(node.name());
        try (Connection connection = node.monitorPool().getConnection()) {
            publish(ping(connection, nodeHealth, now, pool != null && pool.getTotalConnections() > 0));
        } catch (SQLException e) {
            publish(nodeHealth.pingFailed(now, DatabaseErrors.classify(e), DatabaseErrors.describe(e)));
        } catch (RuntimeException e) {
            publish(nodeHealth.pingFailed(now, DatabaseErrors.Kind.LOST, e.toString()));
        }
    }

    private NodeState ping(Connection connection, NodeHealth nodeHealth, long now, boolean poolConnected) throws SQLException {
        int timeoutSeconds = (int) Math.max(1, settings.timeout().toSeconds());
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(timeoutSeconds);
            long started = System.nanoTime();
            try (ResultSet ignored = statement.executeQuery("SELECT 1")) {
                // answered
            }
            double micros = (System.nanoTime() - started) / 1_000.0;
            Map<String, String> status = new HashMap<>();
            try (ResultSet rows = statement.executeQuery(NodeStatus.QUERY)) {
                while (rows.next()) {
                    status.put(rows.getString(1).toLowerCase(java.util.Locale.ROOT), rows.getString(2));
                }
            }
            return nodeHealth.answered(now, micros, NodeStatus.parse(status), poolConnected);
        }
    }

    private void publish(NodeState changed) {
        ClusterSnapshot before;
        ClusterSnapshot after;
        String was;
        synchronized (publication) {
            before = snapshot;
            states.put(changed.name(), changed);
            after = election.decide(List.copyOf(states.values()), before.writer().map(NodeState::name).orElse(null));
            snapshot = after;
            was = lastWriter;
            after.writer().ifPresent(writer -> {
                if (lastWriter != null && !lastWriter.equals(writer.name())) {
                    writerChanges.increment();
                }
                lastWriter = writer.name();
            });
            publication.notifyAll();
        }
        for (NodeState node : after.nodes()) {
            NodeState previous = before.node(node.name()).orElseThrow();
            if (previous.up() != node.up()) {
                if (node.up()) {
                    LOG.info("node up", kv("node", node.name()), kv("latencyMs", node.latencyMicros() / 1000.0));
                } else {
                    LOG.warn("node down", kv("node", node.name()), kv("reason", node.reason()));
                    ejections.get(node.name()).increment();
                    pools.node(node.name()).evictConnections();
                }
            } else if (previous.readsPaused() != node.readsPaused()) {
                LOG.info(node.readsPaused() ? "node reads paused" : "node reads resumed", kv("node", node.name()), kv("reason", node.reason()));
            }
        }
        Optional<NodeState> from = before.writer();
        Optional<NodeState> to = after.writer();
        if (to.isEmpty() && from.isPresent()) {
            LOG.warn("no writer", kv("was", from.get().name()), kv("reason", after.node(from.get().name()).orElseThrow().reason()));
        } else if (to.isPresent() && !to.get().name().equals(from.map(NodeState::name).orElse(null))) {
            LOG.info("writer", kv("node", to.get().name()), kv("was", was), kv("preferred", election.preferred()));
        }
    }

    @PreDestroy
    @Override
    public void close() {
        threads.values().forEach(ScheduledExecutorService::shutdownNow);
    }
}

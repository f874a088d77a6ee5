package io.sqlgate.proxy.health;

import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.sqlgate.proxy.ProxyConfiguration;
import io.sqlgate.proxy.nodes.Node;
import io.sqlgate.proxy.nodes.NodePools;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Owns node state. Each node has its own monitor thread that pings it on an interval over the monitoring
 * pool, and requires, where the node reports them, Galera's {@code wsrep_ready=ON} and {@code Synced}, or
 * at least one ready NDB data node. Every change is published as a new immutable {@link ClusterSnapshot};
 * requests only read the latest snapshot and never ping.
 */
@Context
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);
    private static final String CLUSTER_STATUS = "SHOW GLOBAL STATUS WHERE Variable_name IN "
            + "('wsrep_ready', 'wsrep_local_state_comment', 'Ndb_number_of_ready_data_nodes')";

    private final AtomicReference<ClusterSnapshot> snapshot;
    private final Map<String, NodeHealth> health = new HashMap<>();
    private final Map<String, ScheduledExecutorService> threads = new LinkedHashMap<>();
    private final NodePools pools;
    private final ProxyConfiguration.Monitor settings;
    private final PoolSaturation saturation = new PoolSaturation();

    public HealthMonitor(NodePools pools, ProxyConfiguration configuration, MeterRegistry meters) {
        this.pools = pools;
        this.settings = configuration.monitor();
        List<NodeState> initial = new ArrayList<>();
        for (Node node : pools.nodes().values()) {
            initial.add(NodeState.unknown(node.name(), node.role()));
            health.put(node.name(), new NodeHealth(node.name(), node.role(), settings.failureThreshold(), settings.smoothing()));
            threads.put(node.name(), Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "monitor-" + node.name());
                thread.setDaemon(true);
                return thread;
            }));
            Gauge.builder("sqlgate.node.up", this, m -> m.state(node.name()).up() ? 1 : 0)
                    .tag("node", node.name()).tag("role", node.role().name().toLowerCase())
                    .description("1 when the monitor lets the node serve, 0 otherwise").register(meters);
            Gauge.builder("sqlgate.node.latency", this, m -> m.latencySeconds(node.name()))
                    .tag("node", node.name()).baseUnit("seconds")
                    .description("Smoothed (EWMA) ping latency of the node").register(meters);
        }
        this.snapshot = new AtomicReference<>(new ClusterSnapshot(initial));
        long interval = settings.interval().toMillis();
        threads.forEach((name, thread) -> thread.scheduleWithFixedDelay(() -> check(pools.node(name)), 0, interval, TimeUnit.MILLISECONDS));
    }

    public ClusterSnapshot snapshot() {
        return snapshot.get();
    }

    /** @return how long the node's application pool has had no free connection, as of the last ping; zero if it has one */
    public Duration exhaustedFor(String node) {
        return Duration.ofNanos(saturation.exhaustedFor(node, System.nanoTime()));
    }

    private double latencySeconds(String name) {
        double micros = state(name).latencyMicros();
        return micros < 0 ? Double.NaN : micros / 1_000_000.0;
    }

    private NodeState state(String name) {
        return snapshot.get().node(name).orElseThrow();
    }

    /**
     * A request could not reach a node: take it out now rather than at the next ping. The node's own
     * monitor thread applies the change, so each node's state machine keeps a single writer.
     */
    public void reportConnectionFailure(String name, String why) {
        ScheduledExecutorService thread = threads.get(name);
        if (thread != null && !thread.isShutdown()) {
            thread.execute(() -> publish(health.get(name).connectionFailed(why)));
        }
    }

    /**
     * One ping. A node to which no connection can be made is down at once; a ping that fails on a connection
     * already made (a timeout, a socket closed by one) is one failure towards the threshold: a Galera node stalls
     * for a few seconds while the cluster evicts a dead peer, and is not down for it.
     */
    private void check(Node node) {
        HikariPoolMXBean pool = node.pool().getHikariPoolMXBean();
        saturation.observe(node.name(), pool != null && pool.getIdleConnections() == 0
                && pool.getActiveConnections() >= node.pool().getMaximumPoolSize(), System.nanoTime());
        NodeHealth nodeHealth = health.get(node.name());
        Connection connection;
        try {
            connection = node.monitorPool().getConnection();
        } catch (SQLException e) {
            publish(isConnectionError(e) ? nodeHealth.connectionFailed(describe(e)) : nodeHealth.pingFailed(describe(e)));
            return;
        }
        try (connection) {
            publish(ping(connection, nodeHealth));
        } catch (SQLException | RuntimeException e) {
            publish(nodeHealth.pingFailed(e instanceof SQLException sql ? describe(sql) : e.toString()));
        }
    }

    private NodeState ping(Connection connection, NodeHealth nodeHealth) throws SQLException {
        int timeoutSeconds = (int) Math.max(1, settings.timeout().toSeconds());
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(timeoutSeconds);
            long started = System.nanoTime();
            try (ResultSet ignored = statement.executeQuery("SELECT 1")) {
                // answered
            }
            double micros = (System.nanoTime() - started) / 1_000.0;
            Map<String, String> status = new HashMap<>();
            try (ResultSet rows = statement.executeQuery(CLUSTER_STATUS)) {
                while (rows.next()) {
                    status.put(rows.getString(1).toLowerCase(), rows.getString(2));
                }
            }
            String wsrepReady = status.get("wsrep_ready");
            String wsrepState = status.get("wsrep_local_state_comment");
            if (wsrepReady != null && (!"ON".equalsIgnoreCase(wsrepReady) || !"Synced".equalsIgnoreCase(wsrepState))) {
                return nodeHealth.outOfSync("galera: wsrep_ready=" + wsrepReady + ", state " + wsrepState);
            }
            String ndbReady = status.get("ndb_number_of_ready_data_nodes");
            if (ndbReady != null && "0".equals(ndbReady.trim())) {
                return nodeHealth.outOfSync("ndb: no data node ready");
            }
            return nodeHealth.answered(micros);
        }
    }

    private void publish(NodeState changed) {
        ClusterSnapshot before = snapshot.getAndUpdate(current -> current.with(changed));
        NodeState previous = before.node(changed.name()).orElseThrow();
        if (previous.up() != changed.up()) {
            if (changed.up()) {
                LOG.info("node up", kv("node", changed.name()), kv("latencyMs", changed.latencyMicros() / 1000.0));
            } else {
                LOG.warn("node down", kv("node", changed.name()), kv("reason", changed.reason()));
                pools.node(changed.name()).evictConnections();
            }
        }
    }

    /** A connection that could not be made or broke: the node is unreachable, not merely slow. */
    public static boolean isConnectionError(SQLException e) {
        String state = e.getSQLState();
        return (state != null && state.startsWith("08")) || e instanceof SQLRecoverableException
                || (e instanceof SQLTransientConnectionException && e.getCause() instanceof SQLException cause
                    && isConnectionError(cause));
    }

    private static String describe(SQLException e) {
        String message = firstLine(e);
        if (e.getCause() != null && e.getCause() != e) {
            message += " (" + firstLine(e.getCause()) + ")";
        }
        return message.length() > 300 ? message.substring(0, 300) : message;
    }

    private static String firstLine(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    }

    @PreDestroy
    @Override
    public void close() {
        threads.values().forEach(ScheduledExecutorService::shutdownNow);
    }
}

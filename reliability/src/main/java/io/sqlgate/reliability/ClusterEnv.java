package io.sqlgate.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The local cluster of {@code bin/local-cluster}, as its {@code env} command describes it: ports and users from
 * the same environment variables, node faults through the same script, and root's view (users, schemas) over
 * each node's own socket where this machine has one.
 */
public final class ClusterEnv {
    public static final List<String> NODES = List.of("node1", "node2", "node3");

    private final Path repository;
    private final Map<String, String> env;

    public ClusterEnv(Path repository, Map<String, String> env) {
        this.repository = repository;
        this.env = env;
    }

    public static ClusterEnv fromEnvironment(Path repository) {
        return new ClusterEnv(repository, System.getenv());
    }

    public Path repository() {
        return repository;
    }

    private String get(String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public String host() {
        return get("SQLGATE_DB_HOST", "127.0.0.1");
    }

    public int port(String node) {
        int base = Integer.parseInt(get("LOCAL_CLUSTER_PORT_BASE", "3310"));
        return Integer.parseInt(get("SQLGATE_" + node.toUpperCase() + "_PORT", Integer.toString(base + (node.charAt(4) - '0'))));
    }

    public String appUser() {
        return get("SQLGATE_APP_USER", "sqlgate_app");
    }

    public String appPassword() {
        return get("SQLGATE_APP_PASSWORD", "local-dev-app-password");
    }

    public String monitorUser() {
        return get("SQLGATE_MONITOR_USER", "sqlgate_monitor");
    }

    public String monitorPassword() {
        return get("SQLGATE_MONITOR_PASSWORD", "local-dev-monitor-password");
    }

    public Path clusterDir() {
        return Path.of(get("LOCAL_CLUSTER_DIR", repository.resolve(".work/cluster").toString()));
    }

    /** The variables the proxy reads for the local cluster's nodes ({@code MICRONAUT_ENVIRONMENTS=local}). */
    public Map<String, String> proxyEnvironment() {
        return Map.of("MICRONAUT_ENVIRONMENTS", "local",
                "DB_USERNAME", appUser(), "DB_PASSWORD", appPassword(),
                "MONITOR_USERNAME", monitorUser(), "MONITOR_PASSWORD", monitorPassword(),
                "SQLGATE_NODE1_PORT", Integer.toString(port("node1")),
                "SQLGATE_NODE2_PORT", Integer.toString(port("node2")),
                "SQLGATE_NODE3_PORT", Integer.toString(port("node3")));
    }

    /** A connection as the application user, straight to one node, with a short connect timeout. */
    public Connection connect(String node) throws SQLException {
        String url = "jdbc:mysql://" + host() + ":" + port(node) + "/main_db?connectTimeout=2000&socketTimeout=30000"
                + "&sessionVariables=wsrep_sync_wait=1";
        return DriverManager.getConnection(url, appUser(), appPassword());
    }

    /** Galera's state of a node ("Synced", "Joining", ...), or "down" when it does not answer. */
    public String state(String node) {
        try (Connection connection = connect(node); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW GLOBAL STATUS LIKE 'wsrep_local_state_comment'")) {
            return rows.next() ? rows.getString(2) : "unknown";
        } catch (SQLException e) {
            return "down";
        }
    }

    public boolean allSynced() {
        return NODES.stream().allMatch(node -> "Synced".equals(state(node)));
    }

    public void killNode(String node) {
        script("kill-node", node);
    }

    public void startNode(String node) {
        script("start-node", node);
    }

    private void script(String command, String node) {
        Path script = repository.resolve("bin/local-cluster");
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), command, node).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(Duration.ofMinutes(3).toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("bin/local-cluster " + command + " " + node + " timed out");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("bin/local-cluster " + command + " " + node + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs a query as root over a node's own socket (root has no TCP access) and returns its rows, tab-separated;
     * empty when this machine has no such socket or no {@code mariadb} client.
     */
    public Optional<List<String>> rootQuery(String node, String sql) {
        Path socket = clusterDir().resolve(node).resolve("mariadbd.sock");
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder("mariadb", "--no-defaults", "-S", socket.toString(), "-uroot", "-N", "-B", "-e", sql)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(output.lines().toList());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}

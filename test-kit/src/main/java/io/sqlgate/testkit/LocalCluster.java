package io.sqlgate.testkit;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The local database system of {@code bin/local-cluster} (CI starts it before the tests), read from one place: the
 * environment that {@code bin/local-cluster env} prints, with {@code LOCAL_CLUSTER_PORT_BASE} and
 * {@code LOCAL_CLUSTER_DIR} for a cluster of its own, and the script's defaults otherwise. Node faults go through
 * the same script, with the same environment; root's view (users, schemas) goes over each node's own socket.
 */
public final class LocalCluster {
    public static final List<String> NODES = List.of("node1", "node2", "node3");
    private static final Duration ROOT_QUERY_TIMEOUT = Duration.ofSeconds(30);

    private final Path repository;
    private final Map<String, String> environment;
    private final Duration scriptTimeout;

    public LocalCluster(Path repository, Map<String, String> environment) {
        this(repository, environment, Duration.ofMinutes(3));
    }

    /** @param scriptTimeout the longest a node's kill or start may take */
    LocalCluster(Path repository, Map<String, String> environment, Duration scriptTimeout) {
        this.repository = repository;
        this.environment = Map.copyOf(environment);
        this.scriptTimeout = scriptTimeout;
    }

    /** The cluster this process's environment describes, in the repository above the working directory. */
    public static LocalCluster fromEnvironment() {
        return new LocalCluster(repositoryRoot(), System.getenv());
    }

    public Path repository() {
        return repository;
    }

    public String host() {
        return setting("SQLGATE_DB_HOST", "127.0.0.1");
    }

    /** The SQL port of {@code standalone}, {@code node1}, {@code node2} or {@code node3}. */
    public int port(String server) {
        int base = Integer.parseInt(setting("LOCAL_CLUSTER_PORT_BASE", "3310"));
        int offset = switch (server) {
            case "standalone" -> 0;
            case "node1", "node2", "node3" -> server.charAt(4) - '0';
            default -> throw new IllegalArgumentException("no such server: " + server);
        };
        return Integer.parseInt(setting("SQLGATE_" + server.toUpperCase(Locale.ROOT) + "_PORT", Integer.toString(base + offset)));
    }

    public String appUser() {
        return setting("SQLGATE_APP_USER", "sqlgate_app");
    }

    public String appPassword() {
        return setting("SQLGATE_APP_PASSWORD", "local-dev-app-password");
    }

    public String monitorUser() {
        return setting("SQLGATE_MONITOR_USER", "sqlgate_monitor");
    }

    public String monitorPassword() {
        return setting("SQLGATE_MONITOR_PASSWORD", "local-dev-monitor-password");
    }

    /** The benchmark user: every privilege on {@code sbtest}, so it may do what the application user may not. */
    public String benchUser() {
        return setting("SQLGATE_BENCH_USER", "sqlgate_bench");
    }

    public String benchPassword() {
        return setting("SQLGATE_BENCH_PASSWORD", "local-dev-bench-password");
    }

    /** Where the servers keep their data, sockets and pid files. */
    public Path clusterDir() {
        return Path.of(setting("LOCAL_CLUSTER_DIR", repository.resolve(".work/cluster").toString()));
    }

    /** {@code main_db} on a port; on a Galera node with read-your-writes ({@code wsrep_sync_wait=1}). */
    public static String jdbcUrl(String host, int port, boolean readYourWrites) {
        return "jdbc:mysql://" + host + ":" + port + "/main_db" + (readYourWrites ? "?sessionVariables=wsrep_sync_wait=1" : "");
    }

    public String jdbcUrl(String server) {
        return jdbcUrl(host(), port(server), !server.equals("standalone"));
    }

    /**
     * The properties of a proxy run in a test's own JVM ({@code ApplicationContext.run}) on this cluster: a random
     * port, the hop secret it verifies, the cluster's users, its three nodes, node1 the preferred writer. A test
     * adds or replaces what it needs.
     */
    public Map<String, Object> embeddedProxyProperties(String hopSecret) {
        Map<String, Object> properties = new java.util.HashMap<>();
        properties.put("micronaut.server.port", -1);
        properties.put("hop.verify-secret", hopSecret);
        properties.put("proxy.database.username", appUser());
        properties.put("proxy.database.password", appPassword());
        properties.put("proxy.monitor.username", monitorUser());
        properties.put("proxy.monitor.password", monitorPassword());
        properties.put("proxy.writer.preferred", "node1");
        for (String node : NODES) {
            properties.put("proxy.nodes." + node + ".url", jdbcUrl(node));
        }
        return properties;
    }

    /** The variables the proxy reads for the local cluster's nodes and users ({@code MICRONAUT_ENVIRONMENTS=local}). */
    public Map<String, String> proxyEnvironment() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("MICRONAUT_ENVIRONMENTS", "local");
        variables.put("DB_USERNAME", appUser());
        variables.put("DB_PASSWORD", appPassword());
        variables.put("MONITOR_USERNAME", monitorUser());
        variables.put("MONITOR_PASSWORD", monitorPassword());
        for (String node : NODES) {
            variables.put("SQLGATE_" + node.toUpperCase(Locale.ROOT) + "_PORT", Integer.toString(port(node)));
        }
        return variables;
    }

    /** A connection as the application user, straight to one server (read-your-writes on Galera), with short timeouts. */
    public Connection connect(String server) throws SQLException {
        String url = jdbcUrl(server);
        return DriverManager.getConnection(url + (url.contains("?") ? "&" : "?") + "connectTimeout=2000&socketTimeout=30000",
                appUser(), appPassword());
    }

    /** Fails with what to do when the local cluster is not running. */
    public void requireRunning() {
        for (String node : NODES) {
            try (Connection ignored = connect(node)) {
                // reachable
            } catch (SQLException e) {
                throw new IllegalStateException("The local cluster is not reachable (" + node + " on port " + port(node)
                        + ": " + e.getMessage() + "). Start it with: bin/local-cluster up", e);
            }
        }
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

    /** The tables of {@code main_db}, by name. */
    public List<String> mainDbTables(String server) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = connect(server); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main_db' ORDER BY table_name")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }

    /** Each table's row count and checksum, read on one server: what a statement that changed anything changes. */
    public Map<String, TableState> tables(String server, List<String> tables) throws SQLException {
        Map<String, TableState> states = new LinkedHashMap<>();
        try (Connection connection = connect(server); Statement statement = connection.createStatement()) {
            for (String table : tables) {
                long count;
                try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM `" + table + "`")) {
                    rows.next();
                    count = rows.getLong(1);
                }
                try (ResultSet rows = statement.executeQuery("CHECKSUM TABLE `" + table + "` EXTENDED")) {
                    rows.next();
                    states.put(table, new TableState(count, rows.getString(2)));
                }
            }
        }
        return states;
    }

    /** @param checksum MariaDB's {@code CHECKSUM TABLE ... EXTENDED}: every row's every column, read */
    public record TableState(long rows, String checksum) {
    }

    /** {@code kill -9} of a node's server. */
    public void killNode(String node) {
        script("kill-node", node);
    }

    /** Starts a node again; returns once it has rejoined. */
    public void startNode(String node) {
        script("start-node", node);
    }

    private void script(String command, String node) {
        Run run = run(List.of("bash", repository.resolve("bin/local-cluster").toString(), command, node), scriptTimeout);
        if (run.timedOut()) {
            throw new IllegalStateException("bin/local-cluster " + command + " " + node + " did not finish within "
                    + scriptTimeout.toSeconds() + " s:\n" + run.output());
        }
        if (run.exitCode() != 0) {
            throw new IllegalStateException("bin/local-cluster " + command + " " + node + " failed:\n" + run.output());
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
            Run run = run(List.of("mariadb", "--no-defaults", "-S", socket.toString(), "-uroot", "-N", "-B", "-e", sql), ROOT_QUERY_TIMEOUT);
            return run.timedOut() || run.exitCode() != 0 ? Optional.empty() : Optional.of(run.output().lines().toList());
        } catch (IllegalStateException noClient) {
            return Optional.empty();
        }
    }

    private record Run(int exitCode, boolean timedOut, String output) {
    }

    /**
     * Runs a command with this cluster's environment, its output (both streams) going to a file while it runs, so
     * that the wait is bounded by the timeout however much or little it writes.
     */
    private Run run(List<String> command, Duration timeout) {
        Path output = null;
        try {
            output = Files.createTempFile("local-cluster-", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            return new Run(finished ? process.exitValue() : -1, !finished, Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
    }

    /** The checkout: the first folder above the working directory that holds {@code bin/local-cluster}. */
    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("bin/local-cluster"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("bin/local-cluster not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    private String setting(String name, String fallback) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}

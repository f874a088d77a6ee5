package io.sqlgate.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The local database system that {@code bin/local-cluster up} starts (CI starts it before the tests): ports
 * and users come from the same environment variables the script prints with {@code bin/local-cluster env}.
 */
public final class LocalCluster {
    public static final String HOST = env("SQLGATE_DB_HOST", "127.0.0.1");
    public static final String APP_USER = env("SQLGATE_APP_USER", "sqlgate_app");
    public static final String APP_PASSWORD = env("SQLGATE_APP_PASSWORD", "local-dev-app-password");
    public static final String MONITOR_USER = env("SQLGATE_MONITOR_USER", "sqlgate_monitor");
    public static final String MONITOR_PASSWORD = env("SQLGATE_MONITOR_PASSWORD", "local-dev-monitor-password");
    /** The benchmark user: every privilege on {@code sbtest}, so it may do what the application user may not. */
    public static final String BENCH_USER = env("SQLGATE_BENCH_USER", "sqlgate_bench");
    public static final String BENCH_PASSWORD = env("SQLGATE_BENCH_PASSWORD", "local-dev-bench-password");

    private LocalCluster() {
    }

    /** The SQL port of {@code standalone}, {@code node1}, {@code node2} or {@code node3}. */
    public static int port(String server) {
        int base = Integer.parseInt(env("LOCAL_CLUSTER_PORT_BASE", "3310"));
        return switch (server) {
            case "standalone" -> Integer.parseInt(env("SQLGATE_STANDALONE_PORT", Integer.toString(base)));
            case "node1", "node2", "node3" -> Integer.parseInt(env("SQLGATE_" + server.toUpperCase() + "_PORT",
                    Integer.toString(base + (server.charAt(4) - '0'))));
            default -> throw new IllegalArgumentException(server);
        };
    }

    public static String jdbcUrl(String host, int port, boolean readYourWrites) {
        return "jdbc:mysql://" + host + ":" + port + "/main_db" + (readYourWrites ? "?sessionVariables=wsrep_sync_wait=1" : "");
    }

    public static String jdbcUrl(String server) {
        return jdbcUrl(HOST, port(server), !server.equals("standalone"));
    }

    /** A connection as the application user, with read-your-writes on Galera nodes. */
    public static Connection connect(String server) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(server), APP_USER, APP_PASSWORD);
    }

    /** Fails with what to do when the local cluster is not running. */
    public static void requireRunning() {
        for (String server : new String[]{"node1", "node2", "node3"}) {
            try (Connection ignored = connect(server)) {
                // reachable
            } catch (SQLException e) {
                throw new IllegalStateException("The local cluster is not reachable (" + server + " on port " + port(server)
                        + ": " + e.getMessage() + "). Start it with: bin/local-cluster up", e);
            }
        }
    }

    public static void kill(String server) {
        script("kill-node", server);
    }

    public static void start(String server) {
        script("start-node", server);
    }

    private static void script(String command, String server) {
        Path script = repositoryRoot().resolve("bin/local-cluster");
        try {
            Process process = new ProcessBuilder("bash", script.toString(), command, server).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(Duration.ofMinutes(3).toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("bin/local-cluster " + command + " " + server + " timed out");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("bin/local-cluster " + command + " " + server + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

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

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

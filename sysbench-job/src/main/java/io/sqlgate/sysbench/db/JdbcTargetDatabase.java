package io.sqlgate.sysbench.db;

import io.sqlgate.hop.Texts;
import io.sqlgate.sysbench.config.Endpoint;
import io.sqlgate.sysbench.config.Target;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Talks to each SQL node of a target over JDBC (MySQL Connector/J; MariaDB and MySQL NDB SQL nodes alike). */
public final class JdbcTargetDatabase implements TargetDatabase {

    /** Errors that waiting cannot fix: access denied (1044, 1045, 1698) and unknown database (1049). */
    private static final Set<Integer> PERMANENT_ERRORS = Set.of(1044, 1045, 1049, 1698);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public void awaitReady(Target target, String password, Duration timeout, Consumer<String> progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Endpoint endpoint : target.endpoints()) {
            int attempts = 0;
            while (true) {
                attempts++;
                try (Connection connection = connect(endpoint, target, password);
                     Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT 1")) {
                    rs.next();
                    break;
                } catch (SQLException e) {
                    if (PERMANENT_ERRORS.contains(e.getErrorCode())) {
                        throw new TargetNotReadyException(target.name() + ": " + endpoint + " refused the connection: "
                                + e.getMessage(), e);
                    }
                    if (System.nanoTime() + RETRY_PAUSE.toNanos() > deadline) {
                        throw new TargetNotReadyException(target.name() + ": " + endpoint
                                + " did not accept connections within " + timeout.toSeconds() + " s: " + e.getMessage(), e);
                    }
                    if (attempts == 1) {
                        progress.accept("waiting for " + endpoint + " (" + Texts.firstLine(e.getMessage(), "no message") + ")");
                    }
                    pause();
                }
            }
        }
    }

    @Override
    public Map<Endpoint, Map<String, String>> tableEngines(Target target, String password, List<String> tables) {
        String placeholders = String.join(",", Collections.nCopies(tables.size(), "?"));
        String sql = "SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN ("
                + placeholders + ")";
        Map<Endpoint, Map<String, String>> result = new LinkedHashMap<>();
        for (Endpoint endpoint : target.endpoints()) {
            Map<String, String> engines = new TreeMap<>();
            try (Connection connection = connect(endpoint, target, password);
                 PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, target.database());
                for (int i = 0; i < tables.size(); i++) {
                    statement.setString(i + 2, tables.get(i));
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        engines.put(rs.getString(1), rs.getString(2));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(target.name() + ": reading the table engines on " + endpoint
                        + " failed: " + e.getMessage(), e);
            }
            result.put(endpoint, engines);
        }
        return result;
    }

    @Override
    public Map<String, RowCheck.TableRows> tableRows(Target target, String password, List<String> tables) {
        Endpoint endpoint = target.endpoints().get(0);
        Map<String, RowCheck.TableRows> rows = new TreeMap<>();
        try (Connection connection = connect(endpoint, target, password);
             Statement statement = connection.createStatement()) {
            for (String table : tables) {
                // table names come from Workload.tableNames(): sbtest1..sbtestN
                try (ResultSet rs = statement.executeQuery(
                        "SELECT COUNT(*), COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM `" + table + "`")) {
                    rs.next();
                    rows.put(table, new RowCheck.TableRows(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
                } catch (SQLException e) {
                    if (e.getErrorCode() != 1146) { // table does not exist: reported as missing
                        throw e;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(target.name() + ": counting the rows on " + endpoint + " failed: "
                    + e.getMessage(), e);
        }
        return rows;
    }

    private static Connection connect(Endpoint endpoint, Target target, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", target.user());
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT.toMillis()));
        properties.setProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toMillis()));
        return DriverManager.getConnection(
                "jdbc:mysql://" + endpoint.host() + ":" + endpoint.port() + "/" + target.database(), properties);
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetNotReadyException("interrupted while waiting for a target", e);
        }
    }
}

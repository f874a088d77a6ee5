package io.sqlgate.sysbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sqlgate.hop.Texts;
import io.sqlgate.sysbench.config.Endpoint;
import io.sqlgate.sysbench.config.Engine;
import io.sqlgate.sysbench.config.Target;
import io.sqlgate.sysbench.config.Workload;
import io.sqlgate.sysbench.db.EngineCheck;
import io.sqlgate.sysbench.db.JdbcTargetDatabase;
import io.sqlgate.sysbench.db.RowCheck;
import io.sqlgate.sysbench.db.TargetNotReadyException;
import io.sqlgate.sysbench.report.Charts;
import io.sqlgate.sysbench.report.ReportWriter;
import io.sqlgate.sysbench.sysbench.ProcessRunner;
import io.sqlgate.sysbench.sysbench.Step;
import io.sqlgate.sysbench.sysbench.SysbenchCommand;
import io.sqlgate.sysbench.sysbench.SysbenchResult;
import io.sqlgate.testkit.LocalCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Real sysbench, briefly, against the local standalone server and Galera cluster ({@code bin/local-cluster up}).
 * Connection settings come from the variables {@code bin/local-cluster env} prints.
 */
class SysbenchJobIT {

    private static final LocalCluster CLUSTER = LocalCluster.fromEnvironment();
    private static final String HOST = CLUSTER.host();
    private static final int STANDALONE = CLUSTER.port("standalone");
    private static final int NODE1 = CLUSTER.port("node1");
    private static final int NODE2 = CLUSTER.port("node2");
    private static final int NODE3 = CLUSTER.port("node3");
    private static final String USER = CLUSTER.benchUser();
    private static final String PASSWORD = CLUSTER.benchPassword();
    private static final String PASSWORD_ENV = "SQLGATE_BENCH_PASSWORD";
    private static final Function<String, String> ENVIRONMENT =
            name -> PASSWORD_ENV.equals(name) ? PASSWORD : System.getenv(name);
    private static final List<String> TABLES = List.of("sbtest1", "sbtest2");

    @TempDir
    Path dir;

    /** Why the local servers cannot be used, or null when they can; checked once for the class. */
    private static String unavailable;

    @BeforeAll
    static void checkLocalServers() {
        List<String> problems = new ArrayList<>();
        for (int port : new int[] {STANDALONE, NODE1, NODE2, NODE3}) {
            try (Connection c = connect(port)) {
                c.createStatement().executeQuery("SELECT 1").close();
            } catch (SQLException e) {
                problems.add(HOST + ":" + port + " (" + Texts.firstLine(e.getMessage(), "no message") + ")");
            }
        }
        try {
            ProcessRunner.Result version = new ProcessRunner().run(List.of("sysbench", "--version"),
                    Duration.ofSeconds(10), line -> { });
            if (!version.output().startsWith("sysbench 1.")) {
                problems.add("sysbench 1.x on PATH (found: " + version.output().strip() + ")");
            }
        } catch (IOException e) {
            problems.add("sysbench on PATH (" + e.getMessage() + ")");
        }
        unavailable = problems.isEmpty() ? null
                : "the local database servers are needed and not reachable: " + String.join(", ", problems)
                        + ". Run `bin/local-cluster up` (and `eval \"$(bin/local-cluster env)\"` for its ports), or set "
                        + "SQLGATE_SKIP_DB_TESTS=true to skip these tests.";
    }

    @BeforeEach
    void localServersAreUp() {
        if (unavailable == null) {
            return;
        }
        if ("true".equalsIgnoreCase(setting("SQLGATE_SKIP_DB_TESTS", "false"))) {
            Assumptions.abort(unavailable);
        }
        fail(unavailable);
    }

    @Test
    void comparesStandaloneWithGaleraThroughOneNodeAndThroughAllThree() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        SysbenchJob job = new SysbenchJob(ENVIRONMENT, new JdbcTargetDatabase());
        CommandLine cli = new CommandLine(job);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute(
                "--target", "standalone=" + USER + "@" + HOST + ":" + STANDALONE,
                "--target", "galera-node1=" + USER + "@" + HOST + ":" + NODE1,
                "--target", "galera-all=" + USER + "@" + HOST + ":" + NODE1 + "," + NODE2 + "," + NODE3,
                "--tables", "2", "--table-size", "500", "--threads", "2", "--time", "3", "--report-interval", "1",
                "--out", dir.toString());

        assertEquals(0, exit, err.toString());
        BenchmarkReport report = job.lastReport();
        assertTrue(report.succeeded());
        assertEquals(List.of("standalone", "galera-node1", "galera-all"),
                report.results().stream().map(TargetResult::name).toList());
        assertEquals(List.of(1, 1, 3), report.results().stream().map(r -> r.endpoints().size()).toList());
        for (TargetResult target : report.results()) {
            SysbenchResult r = target.result();
            assertTrue(r.tps() > 0, target.name() + " tps");
            assertTrue(r.transactions() > 0 && r.queries() >= r.transactions(), target.name());
            assertEquals(2, r.threads());
            assertTrue(r.latency().p95Ms() >= r.latency().minMs() && r.latency().maxMs() >= r.latency().avgMs(),
                    target.name() + " " + r.latency());
            assertFalse(r.intervals().isEmpty(), target.name() + " has no interval reports");
            assertTrue(target.engineCheck().verified(), target.engineCheck().problems().toString());
            assertTrue(target.rowCheck().verified(), target.rowCheck().problems().toString());
            assertEquals(new RowCheck.TableRows(500, 1, 500), target.rowCheck().tables().get("sbtest2"));
            assertEquals(target.endpoints().size(), target.engineCheck().engines().size());
            target.engineCheck().engines().values()
                    .forEach(byTable -> assertEquals(Map.of("sbtest1", "InnoDB", "sbtest2", "InnoDB"), byTable));
            assertTrue(target.stepSeconds().keySet().containsAll(List.of("prepare", "run", "cleanup")));
            assertTrue(target.loadAverage() >= 0, "Linux reports its load average");
        }
        assertEquals("1.0.20", report.sysbenchVersion().substring(0, 6));

        String stdout = out.toString();
        assertTrue(stdout.contains("| metric | standalone | galera-node1 | galera-all |"), stdout);
        assertFalse(stdout.contains("thds:"), "progress lines belong on stderr");
        assertTrue(err.toString().contains("galera-all: run [ 1s ] thds: 2"), err.toString());

        Charts charts = Charts.of(report);
        assertEquals(List.of("standalone", "galera-node1", "galera-all"),
                List.copyOf(charts.overTime().orElseThrow().getSeriesMap().keySet()));
        assertEquals(List.of("avg", "p95"), List.copyOf(charts.latency().getSeriesMap().keySet()));
        assertEquals(List.of("read", "write", "other"), List.copyOf(charts.throughput().get(1).getSeriesMap().keySet()));
        for (String file : List.of(ReportWriter.JSON, ReportWriter.RESULTS_CSV, ReportWriter.INTERVALS_CSV,
                ReportWriter.MARKDOWN, Charts.THROUGHPUT_PNG, Charts.LATENCY_PNG, Charts.OVER_TIME_PNG)) {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
        byte[] png = Files.readAllBytes(dir.resolve(Charts.OVER_TIME_PNG));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        assertEquals(4, Files.readAllLines(dir.resolve(ReportWriter.RESULTS_CSV)).size());

        for (int port : new int[] {STANDALONE, NODE1}) {
            assertEquals(List.of(), existingTables(port), "cleanup left tables on port " + port);
        }
    }

    @Test
    void stopsWithSysbenchsOwnMessageWhenTheServerHasNoNdbAndCleansUp() {
        StringWriter err = new StringWriter();
        SysbenchJob job = new SysbenchJob(ENVIRONMENT, new JdbcTargetDatabase());
        CommandLine cli = new CommandLine(job);
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute(
                "--target", "ndb-on-mariadb=" + USER + "@" + HOST + ":" + STANDALONE + "/sbtest?engine=ndbcluster",
                "--tables", "2", "--table-size", "100", "--time", "1", "--out", dir.toString());

        assertEquals(1, exit);
        StepFailure failure = job.lastReport().failure();
        assertNotNull(failure);
        assertEquals("prepare", failure.step());
        assertTrue(failure.message().contains("Unknown storage engine 'ndbcluster'"), failure.message());
        assertTrue(err.toString().contains("Unknown storage engine 'ndbcluster'"), err.toString());
        assertEquals(List.of(), existingTables(STANDALONE));
    }

    @Test
    void catchesTheIdGapsOfGaleraAutoIncrement() {
        SysbenchJob job = new SysbenchJob(ENVIRONMENT, new JdbcTargetDatabase());
        CommandLine cli = new CommandLine(job);
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(new StringWriter()));

        int exit = cli.execute("--target", "galera-via-node1=" + USER + "@" + HOST + ":" + NODE1,
                "--sysbench-option=--auto_inc=on", "--tables", "1", "--table-size", "100", "--time", "1",
                "--out", dir.toString());

        assertEquals(1, exit);
        StepFailure failure = job.lastReport().failure();
        assertEquals("row check", failure.step());
        assertTrue(failure.message().startsWith("sbtest1 holds 100 rows with ids "), failure.message());
        assertTrue(failure.message().endsWith(", expected 100 rows with ids 1..100"), failure.message());
        assertEquals(List.of(), existingTables(NODE1));
    }

    @Test
    void tellsInnodbTablesFromNdbTablesOnEveryNode() throws Exception {
        Target galera = new Target("galera-all", List.of(HOST), List.of(NODE1, NODE2, NODE3), USER, PASSWORD_ENV,
                "sbtest", Engine.INNODB);
        Workload workload = new Workload("oltp_read_write", 2, 100, 2, 1, 0, null, List.of());
        SysbenchCommand sysbench = new SysbenchCommand("sysbench", workload, galera, null, PASSWORD);
        ProcessRunner processes = new ProcessRunner();
        JdbcTargetDatabase database = new JdbcTargetDatabase();
        try {
            ProcessRunner.Result prepare = processes.run(sysbench.forStep(Step.PREPARE), Duration.ofSeconds(120),
                    line -> { });
            assertEquals(0, prepare.exitCode(), prepare.output());

            Map<Endpoint, Map<String, String>> engines = database.tableEngines(galera, PASSWORD, TABLES);
            assertEquals(3, engines.size());
            assertTrue(EngineCheck.of(Engine.INNODB, TABLES, engines).verified());
            EngineCheck asNdb = EngineCheck.of(Engine.NDBCLUSTER, TABLES, engines);
            assertFalse(asNdb.verified());
            assertEquals(HOST + ":" + NODE3 + ": expected ENGINE=ndbcluster but found sbtest1=InnoDB, sbtest2=InnoDB",
                    asNdb.problems().get(2));
        } finally {
            processes.run(sysbench.forStep(Step.CLEANUP), Duration.ofSeconds(120), line -> { });
        }
    }

    @Test
    void givesUpAtOnceOnWrongCredentialsAndInTimeOnAClosedPort() throws IOException {
        JdbcTargetDatabase database = new JdbcTargetDatabase();
        Target standalone = new Target("standalone", List.of(HOST), List.of(STANDALONE), USER, PASSWORD_ENV, "sbtest",
                Engine.INNODB);
        long started = System.nanoTime();
        TargetNotReadyException refused = assertThrows(TargetNotReadyException.class,
                () -> database.awaitReady(standalone, "wrong-password", Duration.ofSeconds(60), line -> { }));
        assertTrue(refused.getMessage().contains("refused the connection"), refused.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(30)) < 0,
                "waited for a password that cannot work");

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Target nowhere = new Target("nowhere", List.of("127.0.0.1"), List.of(closedPort), USER, PASSWORD_ENV, "sbtest",
                Engine.INNODB);
        List<String> progress = new ArrayList<>();
        TargetNotReadyException timedOut = assertThrows(TargetNotReadyException.class,
                () -> database.awaitReady(nowhere, PASSWORD, Duration.ofSeconds(2), progress::add));
        assertTrue(timedOut.getMessage().contains("did not accept connections within 2 s"), timedOut.getMessage());
        assertEquals(1, progress.size(), progress.toString());
    }

    private static List<String> existingTables(int port) {
        try (Connection c = connect(port);
             PreparedStatement s = c.prepareStatement("SELECT TABLE_NAME FROM information_schema.TABLES "
                     + "WHERE TABLE_SCHEMA = 'sbtest' AND TABLE_NAME IN ('sbtest1', 'sbtest2')");
             ResultSet rs = s.executeQuery()) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            return tables;
        } catch (SQLException e) {
            throw new AssertionError("cannot list tables on port " + port + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(int port) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", PASSWORD);
        properties.setProperty("connectTimeout", "3000");
        return DriverManager.getConnection("jdbc:mysql://" + HOST + ":" + port + "/sbtest", properties);
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}

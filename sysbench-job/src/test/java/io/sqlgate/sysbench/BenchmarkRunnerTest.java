package io.sqlgate.sysbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sqlgate.sysbench.config.Engine;
import io.sqlgate.sysbench.config.Target;
import io.sqlgate.sysbench.config.Workload;
import io.sqlgate.sysbench.sysbench.ProcessRunner;
import io.sqlgate.sysbench.sysbench.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's sequencing and failure handling, with a scripted stand-in for sysbench and the servers. */
class BenchmarkRunnerTest {

    private static final String PASSWORD = "local, \"odd\" password";
    private static final Map<String, String> ENV = Map.of("BENCH_PASSWORD", PASSWORD);
    private static final Workload WORKLOAD = new Workload("oltp_read_write", 2, 500, 2, 1, 1, null, List.of());
    private static final Timeouts TIMEOUTS =
            new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(30));

    @TempDir
    Path dir;

    private final List<String> progress = new CopyOnWriteArrayList<>();

    @Test
    void benchmarksEachTargetInTurnAndCleansUp() throws IOException {
        FakeSysbench sysbench = new FakeSysbench(dir, Map.of(Step.RUN, cat("run-standalone-intervals.txt")));
        FakeTargetDatabase database = FakeTargetDatabase.reporting("InnoDB");

        BenchmarkReport report = runner(sysbench, database)
                .run(List.of(target("standalone", Engine.INNODB), target("galera-all", Engine.INNODB)));

        assertTrue(report.succeeded());
        assertNull(report.failure());
        assertEquals(List.of("standalone", "galera-all"), report.results().stream().map(TargetResult::name).toList());
        assertEquals(268.26, report.results().get(1).result().tps());
        assertEquals("1.0.20", report.sysbenchVersion());
        assertTrue(report.results().get(0).engineCheck().verified());
        assertTrue(report.results().get(0).rowCheck().verified());
        assertEquals(List.of("cleanup", "prepare", "run", "cleanup", "cleanup", "prepare", "run", "cleanup"),
                sysbench.steps());
        assertEquals(List.of("standalone", "galera-all"), database.awaited);
        assertTrue(progress.stream().anyMatch(line -> line.startsWith("standalone: run [ 3s ] thds: 2 tps: 260.24")),
                progress.toString());
        assertTrue(Files.exists(dir.resolve("logs/galera-all-run.log")));
    }

    @Test
    void givesThePasswordToSysbenchInAPrivateFileRemovedAfterwards() throws IOException {
        FakeSysbench sysbench = new FakeSysbench(dir, Map.of(Step.RUN, cat("run-standalone-intervals.txt")));

        runner(sysbench, FakeTargetDatabase.reporting("InnoDB")).run(List.of(target("standalone", Engine.INNODB)));

        assertEquals("mysql-password='" + PASSWORD + "'", sysbench.optionsFileContents().get(0));
        assertTrue(sysbench.arguments().stream().noneMatch(arg -> arg.contains(PASSWORD)), "password on the command line");
        for (String optionsFile : sysbench.optionsFiles()) {
            assertFalse(Files.exists(Path.of(optionsFile)), optionsFile + " left behind");
        }
        assertFalse(String.join("\n", progress).contains(PASSWORD));
    }

    @Test
    void stopsOnAFailedRunWithSysbenchsMessageAndStillCleansUp() throws IOException {
        FakeSysbench sysbench = new FakeSysbench(dir, Map.of(Step.RUN, cat("run-server-gone-away.txt") + "; exit 1"));

        BenchmarkReport report = runner(sysbench, FakeTargetDatabase.reporting("InnoDB"))
                .run(List.of(target("standalone", Engine.INNODB), target("never-reached", Engine.INNODB)));

        assertFalse(report.succeeded());
        assertEquals("standalone", report.failure().target());
        assertEquals("run", report.failure().step());
        assertEquals(1, report.failure().exitCode());
        assertEquals("FATAL: mysql_stmt_execute() returned error 2006 (Server has gone away) for query 'BEGIN'\n"
                + "FATAL: `thread_run' function failed: /usr/share/sysbench/oltp_common.lua:405: SQL error, "
                + "errno = 2006, state = 'HY000': Server has gone away", report.failure().message());
        assertEquals(List.of("cleanup", "prepare", "run", "cleanup"), sysbench.steps());
        assertTrue(report.results().isEmpty());
    }

    @Test
    void refusesInnodbTablesForAnNdbTargetBeforeRunning() throws IOException {
        FakeSysbench sysbench = new FakeSysbench(dir, Map.of(Step.RUN, cat("run-standalone-intervals.txt")));

        BenchmarkReport report = runner(sysbench, FakeTargetDatabase.reporting("InnoDB"))
                .run(List.of(target("ndb-cluster", Engine.NDBCLUSTER)));

        assertEquals("engine check", report.failure().step());
        assertEquals("127.0.0.1:3306: expected ENGINE=ndbcluster but found sbtest1=InnoDB, sbtest2=InnoDB",
                report.failure().message());
        assertEquals(List.of("cleanup", "prepare", "cleanup"), sysbench.steps());
    }

    @Test
    void refusesTablesWhoseIdsTheWorkloadWouldMiss() throws IOException {
        FakeSysbench sysbench = new FakeSysbench(dir, Map.of(Step.RUN, cat("run-standalone-intervals.txt")));

        BenchmarkReport report = runner(sysbench, FakeTargetDatabase.reporting("InnoDB").withRows(500, 3))
                .run(List.of(target("galera-via-node1", Engine.INNODB)));

        assertEquals("row check", report.failure().step());
        assertEquals("sbtest1 holds 500 rows with ids 1..1498, expected 500 rows with ids 1..500; "
                + "sbtest2 holds 500 rows with ids 1..1498, expected 500 rows with ids 1..500", report.failure().message());
        assertEquals(List.of("cleanup", "prepare", "cleanup"), sysbench.steps());
    }

    @Test
    void acceptsNdbTablesForAnNdbTarget() throws IOException {
        FakeSysbench sysbench = new FakeSysbench(dir, Map.of(Step.RUN, cat("run-original-shape-standalone.txt")));

        BenchmarkReport report = runner(sysbench, FakeTargetDatabase.reporting("ndbcluster"))
                .run(List.of(target("ndb-cluster", Engine.NDBCLUSTER)));

        assertTrue(report.succeeded(), String.valueOf(report.failure()));
        assertEquals("ndbcluster", report.results().get(0).engine());
        assertTrue(sysbench.arguments().contains("--mysql-storage-engine=ndbcluster"));
    }

    @Test
    void reportsACrashedSysbench() throws IOException {
        FakeSysbench sysbench = new FakeSysbench(dir,
                Map.of(Step.RUN, cat("run-crashed-on-reconnect.txt") + "; kill -SEGV $$"));

        BenchmarkReport report = runner(sysbench, FakeTargetDatabase.reporting("InnoDB"))
                .run(List.of(target("standalone", Engine.INNODB)));

        assertEquals(139, report.failure().exitCode());
        assertTrue(report.failure().message().startsWith("sysbench died of signal 11 (segmentation fault)"),
                report.failure().message());
        assertEquals(List.of("cleanup", "prepare", "run", "cleanup"), sysbench.steps());
    }

    @Test
    void stopsARunThatOverrunsItsTimeLimit() throws IOException {
        FakeSysbench sysbench = new FakeSysbench(dir, Map.of(Step.RUN, "echo 'Threads started!'; exec sleep 60"));

        BenchmarkReport report = runner(sysbench, FakeTargetDatabase.reporting("InnoDB"))
                .run(List.of(target("standalone", Engine.INNODB)));

        assertEquals("run", report.failure().step());
        assertTrue(report.failure().message().startsWith("timed out after 2 s"), report.failure().message());
        assertEquals(List.of("cleanup", "prepare", "run", "cleanup"), sysbench.steps());
    }

    @Test
    void reportsAFailedPrepareAndCleansUpWhatItLeft() throws IOException {
        FakeSysbench sysbench = new FakeSysbench(dir,
                Map.of(Step.PREPARE, cat("prepare-ndb-engine-on-mariadb.txt") + "; exit 1"));

        BenchmarkReport report = runner(sysbench, FakeTargetDatabase.reporting("InnoDB"))
                .run(List.of(target("ndb-on-mariadb", Engine.NDBCLUSTER)));

        assertEquals("prepare", report.failure().step());
        assertTrue(report.failure().message().contains("error 1286 (Unknown storage engine 'ndbcluster')"),
                report.failure().message());
        assertEquals(List.of("cleanup", "prepare", "cleanup"), sysbench.steps());
    }

    @Test
    void takesFatalLinesAsFailureEvenWhenSysbenchExitsZero() throws IOException {
        // sysbench 1.0.20's parallel prepare reports a failed CREATE TABLE and still exits 0
        FakeSysbench sysbench = new FakeSysbench(dir,
                Map.of(Step.PREPARE, cat("prepare-parallel-fatal-exit-0.txt") + "; exit 0"));

        BenchmarkReport report = runner(sysbench, FakeTargetDatabase.reporting("InnoDB"))
                .run(List.of(target("ndb-on-mariadb", Engine.NDBCLUSTER)));

        assertEquals("prepare", report.failure().step());
        assertEquals(0, report.failure().exitCode());
        assertEquals(4, report.failure().message().lines().count(), report.failure().message());
        assertTrue(report.failure().message().startsWith(
                "FATAL: mysql_drv_query() returned error 1286 (Unknown storage engine 'ndbcluster')"));
        assertEquals(List.of("cleanup", "prepare", "cleanup"), sysbench.steps());
        assertEquals("1.0.20", report.sysbenchVersion());
    }

    @Test
    void runsNothingOnATargetThatNeverAnswers() throws IOException {
        FakeSysbench sysbench = new FakeSysbench(dir, Map.of());

        BenchmarkReport report = runner(sysbench, FakeTargetDatabase.neverReady())
                .run(List.of(target("standalone", Engine.INNODB)));

        assertEquals("wait for the target", report.failure().step());
        assertTrue(report.failure().message().contains("did not accept connections"), report.failure().message());
        assertTrue(sysbench.steps().isEmpty());
    }

    @Test
    void reportsAMissingPasswordVariable() throws IOException {
        FakeSysbench sysbench = new FakeSysbench(dir, Map.of());
        Target target = new Target("standalone", List.of("127.0.0.1"), List.of(3306), "u", "UNSET_PASSWORD",
                "sbtest", Engine.INNODB);

        BenchmarkReport report = runner(sysbench, FakeTargetDatabase.reporting("InnoDB")).run(List.of(target));

        assertEquals("configuration", report.failure().step());
        assertTrue(report.failure().message().contains("UNSET_PASSWORD"));
        assertTrue(sysbench.steps().isEmpty());
    }

    private BenchmarkRunner runner(FakeSysbench sysbench, FakeTargetDatabase database) {
        return new BenchmarkRunner(sysbench.executable().toString(), WORKLOAD, database, new ProcessRunner(), ENV::get,
                TIMEOUTS, dir.resolve("logs"), progress::add);
    }

    static Target target(String name, Engine engine) {
        return new Target(name, List.of("127.0.0.1"), List.of(3306), "sqlgate_bench", "BENCH_PASSWORD", "sbtest",
                engine);
    }

    static String cat(String fixture) {
        return "cat '" + Fixtures.sysbenchOutputPath(fixture) + "'";
    }
}

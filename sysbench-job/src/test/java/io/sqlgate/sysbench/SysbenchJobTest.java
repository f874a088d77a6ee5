package io.sqlgate.sysbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sqlgate.sysbench.report.ReportWriter;
import io.sqlgate.sysbench.sysbench.Step;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line: options, exit codes, and what goes to stdout versus stderr. */
class SysbenchJobTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(FakeTargetDatabase database, String... args) {
        CommandLine cli = new CommandLine(new SysbenchJob(Map.of("SQLGATE_BENCH_PASSWORD", "pw", "NDB_PW", "pw")::get,
                database));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void printsOnlyTheComparisonTableOnStdout() throws IOException {
        FakeSysbench sysbench = new FakeSysbench(dir,
                Map.of(Step.RUN, BenchmarkRunnerTest.cat("run-standalone-intervals.txt")));
        Path report = dir.resolve("report");

        int exit = execute(FakeTargetDatabase.reporting("InnoDB"), "--sysbench", sysbench.executable().toString(),
                "--target", "standalone=sqlgate_bench@127.0.0.1:3310",
                "--target", "galera-all=sqlgate_bench@127.0.0.1:3311,3312,3313",
                "--tables", "2", "--table-size", "500", "--time", "3", "--report-interval", "1",
                "--out", report.toString());

        assertEquals(0, exit, err.toString());
        List<String> stdout = out.toString().lines().toList();
        assertEquals("", stdout.get(0));
        assertTrue(stdout.get(1).startsWith("sysbench 1.0.20, oltp_read_write, 2 tables x 500 rows, 4 threads, 3 s"),
                stdout.get(1));
        assertEquals("| metric | standalone | galera-all |", stdout.get(3));
        assertTrue(stdout.stream().noneMatch(line -> line.contains("thds:")), "progress on stdout");
        assertTrue(err.toString().contains("[sysbench-job] standalone: run [ 1s ] thds: 2 tps: 281.71"), err.toString());
        assertTrue(Files.exists(report.resolve(ReportWriter.JSON)));
        assertTrue(sysbench.arguments().contains("--time=3"));
        assertTrue(sysbench.arguments().contains("--report-interval=1"));
    }

    @Test
    void readsTargetsFromTheConfigFileAndExitsOneOnAFailedStep() throws IOException {
        FakeSysbench sysbench = new FakeSysbench(dir,
                Map.of(Step.RUN, BenchmarkRunnerTest.cat("run-standalone-intervals.txt")));
        Path config = dir.resolve("targets.yaml");
        Files.writeString(config, """
                targets:
                  - name: ndb-cluster
                    hosts: [ndb-sql-0.ndb-sql, ndb-sql-1.ndb-sql]
                    port: 3306
                    user: sqlgate_bench
                    passwordEnv: NDB_PW
                    database: sbtest
                    engine: ndbcluster
                """);

        int exit = execute(FakeTargetDatabase.reporting("InnoDB"), "--config", config.toString(),
                "--sysbench", sysbench.executable().toString(), "--out", dir.resolve("report").toString());

        assertEquals(1, exit);
        assertTrue(err.toString().contains("sysbench-job: ndb-cluster: engine check failed: ndb-sql-0.ndb-sql:3306: "
                + "expected ENGINE=ndbcluster but found"), err.toString());
        assertTrue(out.toString().contains("No target completed."), out.toString());
        assertTrue(sysbench.arguments().contains("--mysql-host=ndb-sql-0.ndb-sql,ndb-sql-1.ndb-sql"));
        assertTrue(sysbench.arguments().contains("--tables=10"), "the original's defaults");
        assertTrue(sysbench.arguments().contains("--table-size=10000"));
    }

    @Test
    void rejectsInvalidUsageWithExitTwo() {
        List<String[]> invalid = new ArrayList<>();
        invalid.add(new String[] {});
        invalid.add(new String[] {"--target", "nonsense"});
        invalid.add(new String[] {"--target", "a=u@h:1?passwordEnv=UNSET"});
        invalid.add(new String[] {"--target", "a=u@h:1", "--target", "a=u@h:2"});
        invalid.add(new String[] {"--target", "a=u@h:1", "--time", "0"});
        invalid.add(new String[] {"--target", "a=u@h:1", "--wait-timeout", "0"});
        invalid.add(new String[] {"--config", dir.resolve("missing.yaml").toString()});
        invalid.add(new String[] {"--threads", "many"});
        for (String[] args : invalid) {
            assertEquals(2, execute(FakeTargetDatabase.reporting("InnoDB"), args), String.join(" ", args));
        }
        assertTrue(err.toString().contains("no targets: give --config FILE or --target"), err.toString());
        assertTrue(err.toString().contains("environment variable UNSET (passwordEnv) is not set"), err.toString());
        assertTrue(err.toString().contains("two targets are named 'a'"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void documentsTheTargetFormatInHelp() {
        assertEquals(0, execute(FakeTargetDatabase.reporting("InnoDB"), "--help"));
        assertTrue(out.toString().contains("NAME=USER@HOST[,HOST...]:PORT[,PORT...][/DATABASE]"), out.toString());
        assertTrue(out.toString().contains("--report-interval"), out.toString());
    }
}

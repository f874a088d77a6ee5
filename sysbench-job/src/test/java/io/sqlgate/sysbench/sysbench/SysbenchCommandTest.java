package io.sqlgate.sysbench.sysbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sqlgate.sysbench.config.Engine;
import io.sqlgate.sysbench.config.Target;
import io.sqlgate.sysbench.config.Workload;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SysbenchCommandTest {

    private static final Target NDB = new Target("ndb-cluster",
            List.of("ndb-sql-0.ndb-sql", "ndb-sql-1.ndb-sql", "ndb-sql-2.ndb-sql"), List.of(3306),
            "sqlgate_bench", "NDB_BENCH_PASSWORD", "sbtest", Engine.NDBCLUSTER);
    private static final Target GALERA = new Target("galera-all", List.of("127.0.0.1"), List.of(3311, 3312, 3313),
            "sqlgate_bench", "SQLGATE_BENCH_PASSWORD", "sbtest", Engine.INNODB);
    private static final Workload ORIGINAL = new Workload("oltp_read_write", 10, 10_000, 4, 60, 5, null, List.of());

    @Test
    void runsTheOriginalWorkloadOnNdbTables() {
        List<String> run = new SysbenchCommand("/usr/bin/sysbench", ORIGINAL, NDB, Path.of("/tmp/opts.cfg"), null)
                .forStep(Step.RUN);

        assertEquals(List.of(
                "/usr/bin/sysbench", "oltp_read_write", "--config-file=/tmp/opts.cfg", "--db-driver=mysql",
                "--mysql-host=ndb-sql-0.ndb-sql,ndb-sql-1.ndb-sql,ndb-sql-2.ndb-sql", "--mysql-port=3306",
                "--mysql-user=sqlgate_bench", "--mysql-db=sbtest", "--mysql-storage-engine=ndbcluster",
                "--auto_inc=off", "--tables=10", "--table-size=10000", "--threads=4", "--time=60", "--events=0", "--report-interval=5",
                "--percentile=95", "run"), run);
    }

    @Test
    void passesSeveralPortsOfOneHostAndTheEngineToEveryStep() {
        for (Step step : Step.values()) {
            List<String> command = new SysbenchCommand("sysbench", ORIGINAL, GALERA, null, null).forStep(step);
            assertTrue(command.contains("--mysql-host=127.0.0.1"), command.toString());
            assertTrue(command.contains("--mysql-port=3311,3312,3313"), command.toString());
            assertTrue(command.contains("--mysql-storage-engine=innodb"), command.toString());
            assertEquals(step.command(), command.get(command.size() - 1));
            assertEquals(step == Step.RUN, command.contains("--time=60"), command.toString());
        }
    }

    @Test
    void preparesWithAtMostOneThreadPerTable() {
        Workload twoTables = new Workload("oltp_read_write", 2, 500, 4, 5, 1, null, List.of());
        assertTrue(new SysbenchCommand("sysbench", twoTables, GALERA, null, null).forStep(Step.PREPARE)
                .contains("--threads=2"));
        assertTrue(new SysbenchCommand("sysbench", ORIGINAL, GALERA, null, null).forStep(Step.PREPARE)
                .contains("--threads=4"));
    }

    @Test
    void appendsIgnoredErrorsAndExtraOptionsBeforeTheStep() {
        Workload workload = new Workload("oltp_read_only", 1, 100, 1, 1, 0, "1213,1297",
                List.of("--rand-type=uniform", "--skip_trx=on"));
        List<String> command = new SysbenchCommand("sysbench", workload, GALERA, null, null).forStep(Step.RUN);
        assertEquals(List.of("--mysql-ignore-errors=1213,1297", "--rand-type=uniform", "--skip_trx=on", "run"),
                command.subList(command.size() - 4, command.size()));
        assertEquals("oltp_read_only", command.get(1));
    }

    @Test
    void asksForIdsOneToTableSizeUnlessToldOtherwise() {
        assertTrue(new SysbenchCommand("sysbench", ORIGINAL, GALERA, null, null).forStep(Step.PREPARE)
                .contains("--auto_inc=off"));
        Workload autoInc = new Workload("oltp_read_write", 1, 100, 1, 1, 0, null, List.of("--auto_inc=on"));
        List<String> command = new SysbenchCommand("sysbench", autoInc, GALERA, null, null).forStep(Step.PREPARE);
        assertFalse(command.contains("--auto_inc=off"), command.toString());
        assertTrue(command.contains("--auto_inc=on"), command.toString());
    }

    @Test
    void keepsThePasswordOffTheCommandLineWhenAnOptionsFileCanHoldIt() {
        List<String> command = new SysbenchCommand("sysbench", ORIGINAL, GALERA, Path.of("/tmp/o.cfg"), null)
                .forStep(Step.RUN);
        assertFalse(command.stream().anyMatch(arg -> arg.startsWith("--mysql-password")), command.toString());
    }

    @Test
    void masksAPasswordOnTheCommandLineWhenPrinted() {
        List<String> command = new SysbenchCommand("sysbench", ORIGINAL, GALERA, null, "s3cret\"'x")
                .forStep(Step.PREPARE);
        assertTrue(command.contains("--mysql-password=s3cret\"'x"));
        String printed = SysbenchCommand.printable(command);
        assertFalse(printed.contains("s3cret"), printed);
        assertTrue(printed.contains("--mysql-password=***"), printed);
    }

    @Test
    void quotesThePasswordForSysbenchsOptionsFile() {
        assertEquals(Optional.of("mysql-password=\"a b,c#d'e\"\n"), SysbenchCommand.optionsFileLine("a b,c#d'e"));
        assertEquals(Optional.of("mysql-password='say \"hi\"'\n"), SysbenchCommand.optionsFileLine("say \"hi\""));
        assertEquals(Optional.of("mysql-password=\"\"\n"), SysbenchCommand.optionsFileLine(""));
        assertEquals(Optional.empty(), SysbenchCommand.optionsFileLine("both ' and \""));
        assertEquals(Optional.empty(), SysbenchCommand.optionsFileLine("two\nlines"));
        assertEquals(Optional.empty(), SysbenchCommand.optionsFileLine("x".repeat(1000)));
    }
}

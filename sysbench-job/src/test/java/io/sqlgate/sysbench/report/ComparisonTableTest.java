package io.sqlgate.sysbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sqlgate.sysbench.BenchmarkReport;
import io.sqlgate.sysbench.Reports;
import io.sqlgate.sysbench.StepFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {

    @Test
    void putsTargetsSideBySideWithRatiosToTheFirst() {
        String md = ComparisonTable.markdown(Reports.original());
        List<String> lines = md.lines().toList();

        assertEquals("sysbench 1.0.20, oltp_read_write, 10 tables x 10000 rows, 4 threads, 60 s, no interval reports; "
                + "2 CPU(s) visible to the runner", lines.get(0));
        assertEquals("| metric | standalone | mysql-cluster |", lines.get(2));
        assertEquals("| --- | ---: | ---: |", lines.get(3));
        assertTrue(lines.contains("| engine (verified) | innodb | innodb |"), md);
        assertTrue(lines.contains("| host load before the run | 1.50 | 1.50 |"), md);
        assertTrue(lines.contains("| rows per table (ids verified) | 10000 | 10000 |"), md);
        assertTrue(lines.contains("| transactions/s | 317.69 | 220.94 (0.70x) |"), md);
        assertTrue(lines.contains("| queries/s | 6353.72 | 4418.73 (0.70x) |"), md);
        assertTrue(lines.contains("| latency avg (ms) | 12.59 | 18.10 (1.44x) |"), md);
        assertTrue(lines.contains("| latency p95 (ms) | 16.71 | 26.68 (1.60x) |"), md);
        assertTrue(lines.contains("| transactions | 19062 | 13257 |"), md);
        assertTrue(lines.contains("| ignored errors | 0 | 0 |"), md);
        assertTrue(md.contains("the ratio to standalone"), md);
    }

    @Test
    void marksAStoppedBenchmark() {
        BenchmarkReport complete = Reports.original();
        BenchmarkReport stopped = new BenchmarkReport(complete.workload(), complete.sysbenchVersion(), 2,
                complete.startedAt(), complete.finishedAt(), complete.results().subList(0, 1),
                new StepFailure("mysql-cluster", "prepare", 1, "FATAL: error 1045: Access denied"));
        String md = ComparisonTable.markdown(stopped);
        assertTrue(md.contains("| metric | standalone |\n"), md);
        assertTrue(md.contains("Stopped early: mysql-cluster: prepare failed (exit code 1): FATAL: error 1045"), md);
    }

    @Test
    void saysSoWhenNoTargetCompleted() {
        BenchmarkReport complete = Reports.original();
        BenchmarkReport none = new BenchmarkReport(complete.workload(), "unknown", 2, complete.startedAt(),
                complete.finishedAt(), List.of(), new StepFailure("a", "wait for the target", null, "refused"));
        assertTrue(ComparisonTable.markdown(none).contains("No target completed."));
    }

    @Test
    void writesNoRatioAgainstZero() {
        assertEquals("n/a", ComparisonTable.ratio(5, 0));
        assertEquals("2.00x", ComparisonTable.ratio(10, 5));
    }
}

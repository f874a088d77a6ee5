package io.sqlgate.sysbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sqlgate.sysbench.BenchmarkReport;
import io.sqlgate.sysbench.Reports;
import io.sqlgate.sysbench.config.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    private static BenchmarkReport report() {
        Workload workload = new Workload("oltp_read_write", 2, 1000, 2, 5, 1, null, List.of());
        return Reports.report(workload,
                Reports.target("standalone", "run-standalone-intervals.txt", 1),
                Reports.target("galera-all", "run-galera-all-errors.txt", 3));
    }

    @Test
    void writesEveryFile(@TempDir Path dir) throws IOException {
        List<Path> files = new ReportWriter().write(report(), dir);

        assertEquals(List.of(ReportWriter.JSON, ReportWriter.RESULTS_CSV, ReportWriter.INTERVALS_CSV,
                        ReportWriter.MARKDOWN, Charts.THROUGHPUT_PNG, Charts.LATENCY_PNG, Charts.OVER_TIME_PNG),
                files.stream().map(f -> f.getFileName().toString()).toList());
        for (Path file : files) {
            assertTrue(Files.size(file) > 0, file + " is empty");
        }
        assertEquals(ComparisonTable.markdown(report()), Files.readString(dir.resolve(ReportWriter.MARKDOWN)));
    }

    @Test
    void writesTypedJson(@TempDir Path dir) throws IOException {
        ReportWriter writer = new ReportWriter();
        writer.write(report(), dir);

        JsonNode json = writer.objectMapper().readTree(dir.resolve(ReportWriter.JSON).toFile());
        assertTrue(json.get("succeeded").asBoolean());
        assertEquals("oltp_read_write", json.at("/workload/name").asText());
        assertEquals("2024-01-01T00:00:00Z", json.get("startedAt").asText());
        JsonNode galera = json.at("/results/1");
        assertEquals("galera-all", galera.get("name").asText());
        assertEquals("innodb", galera.at("/engineCheck/expected").asText());
        assertTrue(galera.at("/engineCheck/verified").asBoolean());
        assertEquals(212.71, galera.at("/result/tps").asDouble());
        assertEquals(611, galera.at("/result/ignoredErrors").asLong());
        assertEquals(47.47, galera.at("/result/latency/p95Ms").asDouble());
        assertEquals(4, galera.at("/result/intervals").size());
        assertEquals(101.89, galera.at("/result/intervals/0/errorsPerSecond").asDouble());
    }

    @Test
    void writesOneCsvRowPerTargetAndPerInterval(@TempDir Path dir) throws IOException {
        new ReportWriter().write(report(), dir);

        List<String> results = Files.readAllLines(dir.resolve(ReportWriter.RESULTS_CSV));
        assertEquals(String.join(",", ReportWriter.RESULT_COLUMNS), results.get(0));
        assertEquals(3, results.size());
        assertEquals("standalone,innodb,true,1,2,1344,268.26,26897,5368.6,3758.7831,1073.5388,536.7694,18830,5378,2689,"
                + "1.9,7.44,13.22,24.08,9998.14,1,0.2,0,0,5.0096,1344,1.5", results.get(1));
        assertEquals(List.of("galera-all", "611"), List.of(results.get(2).split(",")[0], results.get(2).split(",")[20]));

        List<String> intervals = Files.readAllLines(dir.resolve(ReportWriter.INTERVALS_CSV));
        assertEquals(String.join(",", ReportWriter.INTERVAL_COLUMNS), intervals.get(0));
        assertEquals(1 + 5 + 4, intervals.size());
        assertEquals("galera-all,2,4,264.72,7198.31,5153.99,1269.64,774.67,34.95,101.89,0", intervals.get(6));
    }
}

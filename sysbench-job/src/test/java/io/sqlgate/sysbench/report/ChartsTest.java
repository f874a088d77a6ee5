package io.sqlgate.sysbench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sqlgate.sysbench.BenchmarkReport;
import io.sqlgate.sysbench.Reports;
import io.sqlgate.sysbench.config.Workload;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class ChartsTest {

    static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static BenchmarkReport withIntervals() {
        Workload workload = new Workload("oltp_read_write", 2, 1000, 2, 5, 1, null, List.of());
        return Reports.report(workload,
                Reports.target("standalone", "run-standalone-intervals.txt", 1),
                Reports.target("galera-all", "run-galera-all-errors.txt", 3),
                Reports.target("no-intervals", "run-original-shape-standalone.txt", 1));
    }

    @Test
    void drawsThroughputAndLatencyPerTarget() {
        Charts charts = Charts.of(withIntervals());

        assertEquals(List.of("tps"), List.copyOf(charts.throughput().get(0).getSeriesMap().keySet()));
        assertEquals(List.of("read", "write", "other"), List.copyOf(charts.throughput().get(1).getSeriesMap().keySet()));
        assertEquals(List.of("avg", "p95"), List.copyOf(charts.latency().getSeriesMap().keySet()));
        assertEquals(List.of("standalone", "galera-all", "no-intervals"),
                charts.latency().getSeriesMap().get("p95").getXData());
        assertEquals(List.of(13.22, 47.47, 24.38), charts.latency().getSeriesMap().get("p95").getYData());
        assertEquals(List.of(268.26, 212.71, 333.72), charts.throughput().get(0).getSeriesMap().get("tps").getYData());
    }

    @Test
    void drawsThroughputOverTimeWithOneSeriesPerTargetThatReported() {
        XYChart overTime = Charts.of(withIntervals()).overTime().orElseThrow();

        assertEquals(List.of("standalone", "galera-all"), List.copyOf(overTime.getSeriesMap().keySet()));
        XYSeries galera = overTime.getSeriesMap().get("galera-all");
        assertArrayEquals(new double[] {2, 4, 6, 8}, galera.getXData());
        assertArrayEquals(new double[] {264.72, 193.98, 198.53, 193.02}, galera.getYData());
    }

    @Test
    void drawsNoTimeSeriesWithoutIntervalReports() {
        assertTrue(Charts.of(Reports.original()).overTime().isEmpty());
    }

    @Test
    void writesPngFiles(@TempDir Path dir) throws IOException {
        List<Path> files = Charts.of(withIntervals()).writePng(dir);

        assertEquals(List.of(dir.resolve(Charts.THROUGHPUT_PNG), dir.resolve(Charts.LATENCY_PNG),
                dir.resolve(Charts.OVER_TIME_PNG)), files);
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8), file + " is not a PNG");
            BufferedImage image = ImageIO.read(file.toFile());
            assertTrue(image.getWidth() >= 400 && image.getHeight() >= 300, file + ": " + image);
        }
        assertEquals(2 * ImageIO.read(dir.resolve(Charts.LATENCY_PNG).toFile()).getWidth(),
                ImageIO.read(dir.resolve(Charts.THROUGHPUT_PNG).toFile()).getWidth(), "two charts side by side");
    }
}

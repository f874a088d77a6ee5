package io.sqlgate.sysbench.report;

import io.sqlgate.sysbench.BenchmarkReport;
import io.sqlgate.sysbench.TargetResult;
import io.sqlgate.sysbench.sysbench.IntervalReport;
import io.sqlgate.sysbench.sysbench.SysbenchResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts as XChart models (so that their series can be inspected before anything is drawn),
 * and their rendering to PNG.
 *
 * @param throughput transactions per second, and queries per second stacked by kind; drawn side by side
 * @param latency    average and 95th-percentile latency per target
 * @param overTime   transactions per second at each interval report, one series per target; empty when the
 *                   run had no interval reports
 */
public record Charts(List<CategoryChart> throughput, CategoryChart latency, Optional<XYChart> overTime) {

    public static final String THROUGHPUT_PNG = "throughput.png";
    public static final String LATENCY_PNG = "latency.png";
    public static final String OVER_TIME_PNG = "throughput-over-time.png";

    private static final int WIDTH = 520;
    private static final int HEIGHT = 360;

    public static Charts of(BenchmarkReport report) {
        List<TargetResult> results = report.results();
        List<String> names = results.stream().map(TargetResult::name).toList();

        CategoryChart tps = categoryChart("Transactions per second", "transactions/s");
        tps.addSeries("tps", names, values(results, SysbenchResult::tps));
        tps.getStyler().setLegendVisible(false);

        CategoryChart qps = categoryChart("Queries per second, by kind", "queries/s");
        qps.getStyler().setStacked(true);
        qps.addSeries("read", names, values(results, SysbenchResult::readQps));
        qps.addSeries("write", names, values(results, SysbenchResult::writeQps));
        qps.addSeries("other", names, values(results, SysbenchResult::otherQps));

        CategoryChart latency = categoryChart("Transaction latency", "ms");
        latency.addSeries("avg", names, values(results, r -> r.latency().avgMs()));
        latency.addSeries("p95", names, values(results, r -> r.latency().p95Ms()));

        return new Charts(List.of(tps, qps), latency, overTime(results));
    }

    private static Optional<XYChart> overTime(List<TargetResult> results) {
        if (results.stream().allMatch(r -> r.result().intervals().isEmpty())) {
            return Optional.empty();
        }
        XYChart chart = new XYChartBuilder().width(WIDTH * 2).height(HEIGHT)
                .title("Transactions per second over the run").xAxisTitle("time (s)").yAxisTitle("transactions/s").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisMin(0.0);
        for (TargetResult result : results) {
            List<IntervalReport> intervals = result.result().intervals();
            if (intervals.isEmpty()) {
                continue;
            }
            XYSeries series = chart.addSeries(result.name(),
                    intervals.stream().map(IntervalReport::second).toList(),
                    intervals.stream().map(IntervalReport::tps).toList());
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        return Optional.of(chart);
    }

    private static CategoryChart categoryChart(String title, String yAxis) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yAxis).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setLabelsVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        return chart;
    }

    private static List<Double> values(List<TargetResult> results, ToDoubleFunction<SysbenchResult> value) {
        return results.stream().map(r -> value.applyAsDouble(r.result())).toList();
    }

    /** Writes the PNG files into {@code directory}; returns the files written. */
    public List<Path> writePng(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path throughputFile = directory.resolve(THROUGHPUT_PNG);
        try (OutputStream out = Files.newOutputStream(throughputFile)) {
            BitmapEncoder.saveBitmap(throughput, 1, throughput.size(), out, BitmapEncoder.BitmapFormat.PNG);
        }
        Path latencyFile = save(latency, directory.resolve(LATENCY_PNG));
        if (overTime.isEmpty()) {
            return List.of(throughputFile, latencyFile);
        }
        return List.of(throughputFile, latencyFile, save(overTime.get(), directory.resolve(OVER_TIME_PNG)));
    }

    private static Path save(Chart<?, ?> chart, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return file;
    }
}

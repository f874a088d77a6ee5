package io.sqlgate.perf;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The PNG charts of docs/performance.md. */
final class Charts {
    private Charts() {
    }

    /** Throughput by concurrency, one bar per target, one chart per workload. */
    static void throughput(Path file, Workload workload, List<Integer> concurrencies, Map<String, List<Double>> byTarget)
            throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(800).height(420)
                .title("Throughput, " + workload.title()).xAxisTitle("concurrency (closed-loop clients)")
                .yAxisTitle("requests per second").build();
        style(chart);
        List<String> labels = new ArrayList<>();
        concurrencies.forEach(c -> labels.add(Integer.toString(c)));
        byTarget.forEach((target, values) -> chart.addSeries(target, labels, values));
        save(chart, file);
    }

    /** Median and p99 latency per strategy with one read node slowed. */
    static void strategies(Path file, String title, List<String> strategies, List<Double> p50Millis, List<Double> p99Millis)
            throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(800).height(420).title(title)
                .xAxisTitle("read strategy").yAxisTitle("latency (ms)").build();
        style(chart);
        chart.addSeries("p50", strategies, p50Millis);
        chart.addSeries("p99", strategies, p99Millis);
        save(chart, file);
    }

    private static void style(CategoryChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setLabelsVisible(false);
    }

    private static void save(CategoryChart chart, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}

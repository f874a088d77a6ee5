package io.sqlgate.reliability;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** PNG charts of a run, drawn with XChart. */
public final class Charts {
    private static final double BUCKET_SECONDS = 0.5;

    private Charts() {
    }

    /**
     * One panel per fault: answers per second by status over time, 0 being the moment of the fault; dashed lines
     * mark the fault, the restart being issued and the restart having returned.
     */
    public static void faults(List<FaultWindow> windows, Path png) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (FaultWindow window : windows) {
            XYChart chart = new XYChartBuilder().width(900).height(330).title(window.name())
                    .xAxisTitle("seconds from the fault").yAxisTitle("answers per second").build();
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
            chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
            chart.getStyler().setXAxisMin((window.startMs() - window.faultMs()) / 1000);
            chart.getStyler().setXAxisMax((window.endMs() - window.faultMs()) / 1000);
            Map<String, double[]> series = perSecond(window, o -> o.startMs());
            for (Map.Entry<String, double[]> entry : series.entrySet()) {
                double[] counts = entry.getValue();
                double[] x = new double[counts.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (window.startMs() - window.faultMs()) / 1000 + (i + 0.5) * BUCKET_SECONDS;
                }
                XYSeries line = chart.addSeries(entry.getKey(), x, counts);
                line.setMarker(SeriesMarkers.NONE);
                line.setLineColor(colour(entry.getKey()));
            }
            marker(chart, 0, "fault");
            marker(chart, (window.restoreMs() - window.faultMs()) / 1000, "restart");
            marker(chart, (window.restoredMs() - window.faultMs()) / 1000, "ready");
            charts.add(chart);
        }
        BitmapEncoder.saveBitmap(charts, charts.size(), 1, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Time series, one panel per figure: e.g. each tier's RSS and open descriptors over a soak. */
    public static void series(String title, String xTitle, Map<String, Map<String, double[][]>> panels, Path png) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (Map.Entry<String, Map<String, double[][]>> panel : panels.entrySet()) {
            XYChart chart = new XYChartBuilder().width(900).height(300).title(title + ": " + panel.getKey()).xAxisTitle(xTitle)
                    .yAxisTitle(panel.getKey()).build();
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
            panel.getValue().forEach((name, xy) -> chart.addSeries(name, xy[0], xy[1]).setMarker(SeriesMarkers.NONE));
            charts.add(chart);
        }
        BitmapEncoder.saveBitmap(charts, charts.size(), 1, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void marker(XYChart chart, double x, String label) {
        chart.addAnnotation(new AnnotationLine(x, true, false));
        chart.addAnnotation(new AnnotationText(label, x, 0, false));
    }

    /** Answers per second by status label, in buckets from the window's start. */
    static Map<String, double[]> perSecond(FaultWindow window, ToDoubleFunction<Outcome> time) {
        int buckets = (int) Math.ceil((window.endMs() - window.startMs()) / 1000 / BUCKET_SECONDS);
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("200", new double[buckets]);
        for (Outcome outcome : window.outcomes()) {
            int bucket = (int) ((time.applyAsDouble(outcome) - window.startMs()) / 1000 / BUCKET_SECONDS);
            if (bucket >= 0 && bucket < buckets) {
                series.computeIfAbsent(outcome.label(), k -> new double[buckets])[bucket] += 1 / BUCKET_SECONDS;
            }
        }
        return series;
    }

    private static Color colour(String label) {
        if (label.equals("200")) {
            return new Color(0x2e7d32);
        }
        if (label.startsWith("503")) {
            return new Color(0xef6c00);
        }
        if (label.startsWith("502")) {
            return new Color(0xc62828);
        }
        if (label.startsWith("504")) {
            return new Color(0x6a1b9a);
        }
        if (label.startsWith("no answer")) {
            return new Color(0x424242);
        }
        return new Color(0x1565c0);
    }
}

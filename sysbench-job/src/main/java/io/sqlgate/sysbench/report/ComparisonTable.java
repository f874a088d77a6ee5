package io.sqlgate.sysbench.report;

import io.sqlgate.sysbench.BenchmarkReport;
import io.sqlgate.sysbench.TargetResult;
import io.sqlgate.sysbench.sysbench.SysbenchResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The Markdown comparison: one column per target, one row per statistic; every value after the first
 * target's carries its ratio to the first target's.
 */
public final class ComparisonTable {

    private record Row(String label, ToDoubleFunction<SysbenchResult> value, int decimals, boolean ratio) {
    }

    private static final List<Row> ROWS = List.of(
            new Row("transactions/s", SysbenchResult::tps, 2, true),
            new Row("queries/s", SysbenchResult::qps, 2, true),
            new Row("reads/s", SysbenchResult::readQps, 2, true),
            new Row("writes/s", SysbenchResult::writeQps, 2, true),
            new Row("other queries/s", SysbenchResult::otherQps, 2, true),
            new Row("latency avg (ms)", r -> r.latency().avgMs(), 2, true),
            new Row("latency p95 (ms)", r -> r.latency().p95Ms(), 2, true),
            new Row("latency min (ms)", r -> r.latency().minMs(), 2, false),
            new Row("latency max (ms)", r -> r.latency().maxMs(), 2, false),
            new Row("transactions", r -> r.transactions(), 0, false),
            new Row("queries", r -> r.queries(), 0, false),
            new Row("ignored errors", r -> r.ignoredErrors(), 0, false),
            new Row("reconnects", r -> r.reconnects(), 0, false),
            new Row("total time (s)", SysbenchResult::totalTimeSeconds, 2, false));

    private ComparisonTable() {
    }

    public static String markdown(BenchmarkReport report) {
        List<TargetResult> results = report.results();
        StringBuilder md = new StringBuilder();
        int interval = report.workload().reportIntervalSeconds();
        md.append("sysbench ").append(report.sysbenchVersion()).append(", ").append(report.workload().describe())
                .append(interval > 0 ? ", report every " + interval + " s; " : ", no interval reports; ")
                .append(report.availableProcessors()).append(" CPU(s) visible to the runner\n\n");
        if (results.isEmpty()) {
            md.append("No target completed.\n");
            return md.toString();
        }
        List<String> header = new ArrayList<>(List.of("metric"));
        results.forEach(r -> header.add(r.name()));
        md.append(line(header));
        List<String> rule = new ArrayList<>(List.of("---"));
        results.forEach(r -> rule.add("---:"));
        md.append(line(rule));

        List<String> engine = new ArrayList<>(List.of("engine (verified)"));
        results.forEach(r -> engine.add(r.engine() + (r.engineCheck().verified() ? "" : " (NOT verified)")));
        md.append(line(engine));
        List<String> rows = new ArrayList<>(List.of("rows per table (ids verified)"));
        results.forEach(r -> rows.add(r.rowCheck().expectedRows() + (r.rowCheck().verified() ? "" : " (NOT verified)")));
        md.append(line(rows));
        List<String> servers = new ArrayList<>(List.of("SQL servers"));
        results.forEach(r -> servers.add(String.valueOf(r.endpoints().size())));
        md.append(line(servers));
        List<String> threads = new ArrayList<>(List.of("threads"));
        results.forEach(r -> threads.add(String.valueOf(r.result().threads())));
        md.append(line(threads));

        List<String> load = new ArrayList<>(List.of("host load before the run"));
        results.forEach(r -> load.add(r.loadAverage() < 0 ? "n/a" : format(r.loadAverage(), 2)));
        md.append(line(load));

        SysbenchResult baseline = results.get(0).result();
        for (Row row : ROWS) {
            List<String> cells = new ArrayList<>(List.of(row.label()));
            double base = row.value().applyAsDouble(baseline);
            for (int i = 0; i < results.size(); i++) {
                double value = row.value().applyAsDouble(results.get(i).result());
                String cell = format(value, row.decimals());
                if (row.ratio() && i > 0) {
                    cell += " (" + ratio(value, base) + ")";
                }
                cells.add(cell);
            }
            md.append(line(cells));
        }
        if (results.size() > 1) {
            md.append("\nIn parentheses: the ratio to ").append(results.get(0).name())
                    .append(" (for latency, above 1x is slower).\n");
        }
        if (!report.succeeded()) {
            md.append("\nStopped early: ").append(report.failure().describe().replace('\n', ' ')).append('\n');
        }
        return md.toString();
    }

    static String ratio(double value, double base) {
        if (base == 0 || Double.isNaN(base) || Double.isNaN(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2fx", value / base);
    }

    private static String format(double value, int decimals) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String line(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }
}

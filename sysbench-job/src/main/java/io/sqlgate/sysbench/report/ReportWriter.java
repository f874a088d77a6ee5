package io.sqlgate.sysbench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sqlgate.sysbench.BenchmarkReport;
import io.sqlgate.sysbench.TargetResult;
import io.sqlgate.sysbench.sysbench.IntervalReport;
import io.sqlgate.sysbench.sysbench.SysbenchResult;
import java.awt.AWTError;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Writes a report directory: {@value #JSON} (everything), {@value #RESULTS_CSV} (one row per target),
 * {@value #INTERVALS_CSV} (the interval series), {@value #MARKDOWN} (the comparison table) and the PNG charts.
 */
public final class ReportWriter {

    public static final String JSON = "report.json";
    public static final String RESULTS_CSV = "results.csv";
    public static final String INTERVALS_CSV = "intervals.csv";
    public static final String MARKDOWN = "comparison.md";

    static final List<String> RESULT_COLUMNS = List.of(
            "target", "engine", "engine_verified", "sql_servers", "threads", "transactions", "tps", "queries", "qps",
            "read_qps", "write_qps", "other_qps", "reads", "writes", "others",
            "latency_min_ms", "latency_avg_ms", "latency_p95_ms", "latency_max_ms", "latency_sum_ms",
            "ignored_errors", "ignored_errors_per_s", "reconnects", "reconnects_per_s", "total_time_s", "events",
            "load_average");
    static final List<String> INTERVAL_COLUMNS = List.of(
            "target", "second", "threads", "tps", "qps", "read_qps", "write_qps", "other_qps", "latency_p95_ms",
            "errors_per_s", "reconnects_per_s");

    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes every file; returns the files written. */
    public List<Path> write(BenchmarkReport report, Path directory) throws IOException {
        return write(report, directory, warning -> { });
    }

    /**
     * Writes every file; returns the files written. Charts come last and a failure to draw them (an image
     * without fonts, say) is a warning: the figures are already in the other files.
     */
    public List<Path> write(BenchmarkReport report, Path directory, Consumer<String> warnings) throws IOException {
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        Path jsonFile = directory.resolve(JSON);
        json.writeValue(jsonFile.toFile(), report);
        written.add(jsonFile);
        written.add(writeString(directory.resolve(RESULTS_CSV), resultsCsv(report)));
        written.add(writeString(directory.resolve(INTERVALS_CSV), intervalsCsv(report)));
        written.add(writeString(directory.resolve(MARKDOWN), ComparisonTable.markdown(report)));
        if (!report.results().isEmpty()) {
            try {
                written.addAll(Charts.of(report).writePng(directory));
            } catch (IOException | RuntimeException | AWTError | InternalError e) {
                warnings.accept("charts not drawn: " + e);
            }
        }
        return written;
    }

    public ObjectMapper objectMapper() {
        return json;
    }

    static String resultsCsv(BenchmarkReport report) {
        StringBuilder csv = new StringBuilder(String.join(",", RESULT_COLUMNS)).append('\n');
        for (TargetResult target : report.results()) {
            SysbenchResult r = target.result();
            csv.append(row(
                    target.name(), target.engine(), target.engineCheck().verified(), target.endpoints().size(),
                    r.threads(), r.transactions(), r.tps(), r.queries(), r.qps(),
                    r.readQps(), r.writeQps(), r.otherQps(),
                    r.queryCounts().read(), r.queryCounts().write(), r.queryCounts().other(),
                    r.latency().minMs(), r.latency().avgMs(), r.latency().p95Ms(), r.latency().maxMs(),
                    r.latency().sumMs(), r.ignoredErrors(), r.ignoredErrorsPerSecond(), r.reconnects(),
                    r.reconnectsPerSecond(), r.totalTimeSeconds(), r.totalEvents(), target.loadAverage()));
        }
        return csv.toString();
    }

    static String intervalsCsv(BenchmarkReport report) {
        StringBuilder csv = new StringBuilder(String.join(",", INTERVAL_COLUMNS)).append('\n');
        for (TargetResult target : report.results()) {
            for (IntervalReport i : target.result().intervals()) {
                csv.append(row(target.name(), i.second(), i.threads(), i.tps(), i.qps(), i.readQps(), i.writeQps(),
                        i.otherQps(), i.latencyP95Ms(), i.errorsPerSecond(), i.reconnectsPerSecond()));
            }
        }
        return csv.toString();
    }

    private static String row(Object... cells) {
        List<String> texts = new ArrayList<>();
        for (Object cell : cells) {
            texts.add(cell(cell));
        }
        return texts.stream().collect(Collectors.joining(",")) + "\n";
    }

    private static String cell(Object value) {
        if (value instanceof Double d) {
            // sysbench prints 2 decimals; rates derived from counts are kept to 4
            return Double.isNaN(d) || Double.isInfinite(d) ? ""
                    : BigDecimal.valueOf(d).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        }
        String text = String.valueOf(value);
        if (text.contains(",") || text.contains("\"") || text.contains("\n")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }

    private static Path writeString(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}

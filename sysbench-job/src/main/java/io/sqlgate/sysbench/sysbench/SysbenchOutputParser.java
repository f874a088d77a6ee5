package io.sqlgate.sysbench.sysbench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses what {@code sysbench <oltp workload> run} prints (sysbench 1.0.x, checked against 1.0.20). Every
 * statistic of the final summary is required: a run that crashed or was cut short has no summary and is
 * reported as such, never as zeros.
 */
public final class SysbenchOutputParser {

    private static final String NUMBER = "(-?[0-9]+(?:\\.[0-9]+)?|-?nan|-?inf)";

    private static final Pattern VERSION = Pattern.compile("^sysbench ([0-9][^ ]*)");
    private static final Pattern INTERVAL = Pattern.compile(
            "^\\[ *([0-9]+)s *\\] thds: ([0-9]+) tps: " + NUMBER + " qps: " + NUMBER
                    + " \\(r/w/o: " + NUMBER + "/" + NUMBER + "/" + NUMBER + "\\) lat \\(ms,95%\\): " + NUMBER
                    + " err/s: " + NUMBER + " reconn/s: " + NUMBER + "\\s*$");

    /** Summary lines: a label, then a count or a value; "(x per sec.)" after counts. */
    private static final Map<String, Pattern> SUMMARY = new LinkedHashMap<>();

    static {
        SUMMARY.put("threads", line("Number of threads:\\s+([0-9]+)"));
        SUMMARY.put("read", line("read:\\s+([0-9]+)"));
        SUMMARY.put("write", line("write:\\s+([0-9]+)"));
        SUMMARY.put("other", line("other:\\s+([0-9]+)"));
        SUMMARY.put("total", line("total:\\s+([0-9]+)"));
        SUMMARY.put("transactions", line("transactions:\\s+([0-9]+)\\s+\\(" + NUMBER + " per sec\\.\\)"));
        SUMMARY.put("queries", line("queries:\\s+([0-9]+)\\s+\\(" + NUMBER + " per sec\\.\\)"));
        SUMMARY.put("ignored errors", line("ignored errors:\\s+([0-9]+)\\s+\\(" + NUMBER + " per sec\\.\\)"));
        SUMMARY.put("reconnects", line("reconnects:\\s+([0-9]+)\\s+\\(" + NUMBER + " per sec\\.\\)"));
        SUMMARY.put("total time", line("total time:\\s+" + NUMBER + "s"));
        SUMMARY.put("total number of events", line("total number of events:\\s+([0-9]+)"));
        SUMMARY.put("latency min", line("min:\\s+" + NUMBER));
        SUMMARY.put("latency avg", line("avg:\\s+" + NUMBER));
        SUMMARY.put("latency max", line("max:\\s+" + NUMBER));
        SUMMARY.put("latency 95th percentile", line("95th percentile:\\s+" + NUMBER));
        SUMMARY.put("latency sum", line("sum:\\s+" + NUMBER));
        SUMMARY.put("events (avg/stddev)", line("events \\(avg/stddev\\):\\s+" + NUMBER + "/" + NUMBER));
        SUMMARY.put("execution time (avg/stddev)",
                line("execution time \\(avg/stddev\\):\\s+" + NUMBER + "/" + NUMBER));
    }

    private static Pattern line(String body) {
        return Pattern.compile("^\\s*" + body + "\\s*$");
    }

    private SysbenchOutputParser() {
    }

    /** One interval report line, or empty for any other line (headers, rate-limit queue lines, errors). */
    public static Optional<IntervalReport> parseInterval(String line) {
        Matcher m = INTERVAL.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new IntervalReport(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                number(m.group(3)),
                number(m.group(4)),
                number(m.group(5)),
                number(m.group(6)),
                number(m.group(7)),
                number(m.group(8)),
                number(m.group(9)),
                number(m.group(10))));
    }

    /** The sysbench version from the banner line, or empty. */
    public static Optional<String> parseVersion(String output) {
        for (String line : output.split("\\R")) {
            Matcher m = VERSION.matcher(line);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    public static SysbenchResult parseRun(String output) {
        Map<String, Matcher> found = new LinkedHashMap<>();
        List<IntervalReport> intervals = new ArrayList<>();
        for (String text : output.split("\\R")) {
            parseInterval(text).ifPresent(intervals::add);
            for (Map.Entry<String, Pattern> entry : SUMMARY.entrySet()) {
                if (found.containsKey(entry.getKey())) {
                    continue;
                }
                Matcher m = entry.getValue().matcher(text);
                if (m.matches()) {
                    found.put(entry.getKey(), m);
                    break;
                }
            }
        }
        List<String> missing = SUMMARY.keySet().stream().filter(key -> !found.containsKey(key)).toList();
        if (!missing.isEmpty()) {
            throw new SysbenchOutputException("sysbench printed no complete summary (missing: "
                    + String.join(", ", missing) + "); the run did not finish");
        }

        double totalTime = number(group(found, "total time", 1));
        long read = count(group(found, "read", 1));
        long write = count(group(found, "write", 1));
        long other = count(group(found, "other", 1));
        return new SysbenchResult(
                parseVersion(output).orElse("unknown"),
                Integer.parseInt(group(found, "threads", 1)),
                new SysbenchResult.QueryCounts(read, write, other, count(group(found, "total", 1))),
                count(group(found, "transactions", 1)),
                number(group(found, "transactions", 2)),
                count(group(found, "queries", 1)),
                number(group(found, "queries", 2)),
                rate(read, totalTime),
                rate(write, totalTime),
                rate(other, totalTime),
                count(group(found, "ignored errors", 1)),
                number(group(found, "ignored errors", 2)),
                count(group(found, "reconnects", 1)),
                number(group(found, "reconnects", 2)),
                totalTime,
                count(group(found, "total number of events", 1)),
                new SysbenchResult.Latency(
                        number(group(found, "latency min", 1)),
                        number(group(found, "latency avg", 1)),
                        number(group(found, "latency max", 1)),
                        number(group(found, "latency 95th percentile", 1)),
                        number(group(found, "latency sum", 1))),
                new SysbenchResult.ThreadsFairness(
                        number(group(found, "events (avg/stddev)", 1)),
                        number(group(found, "events (avg/stddev)", 2)),
                        number(group(found, "execution time (avg/stddev)", 1)),
                        number(group(found, "execution time (avg/stddev)", 2))),
                intervals);
    }

    private static String group(Map<String, Matcher> found, String key, int group) {
        return found.get(key).group(group);
    }

    private static long count(String text) {
        return Long.parseLong(text);
    }

    private static double rate(long count, double seconds) {
        return seconds > 0 ? count / seconds : Double.NaN;
    }

    /** sysbench prints C doubles: "nan" and "inf" appear when a statistic has no samples. */
    private static double number(String text) {
        String t = text.toLowerCase(java.util.Locale.ROOT);
        if (t.endsWith("nan")) {
            return Double.NaN;
        }
        if (t.endsWith("inf")) {
            return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(text);
    }
}

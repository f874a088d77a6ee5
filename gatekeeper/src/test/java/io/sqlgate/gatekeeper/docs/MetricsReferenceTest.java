package io.sqlgate.gatekeeper.docs;

import io.sqlgate.gatekeeper.api.ErrorCodeScan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metrics table of docs/operations.md against the meters the sources register: built with
 * {@code Counter.builder("...")}, {@code Gauge.builder}, {@code Timer.builder} (their {@code .tag("...")} and
 * {@code .baseUnit("...")} up to {@code .register}) or registered with {@code meters.counter("...", "tag", value, ...)}
 * and its kin, in the main sources of every module. A registration whose name is not a literal fails the scan, so
 * that no meter escapes it.
 */
class MetricsReferenceTest {
    private static final String PAGE = "docs/operations.md";
    private static final Pattern BUILDER = Pattern.compile(
            "\\b(Counter|Gauge|MultiGauge|Timer|DistributionSummary|LongTaskTimer|FunctionCounter|FunctionTimer|TimeGauge)\\s*\\.\\s*builder\\s*\\(");
    /** A multi-gauge's tags are its rows', {@code Row.of(Tags.of("digest", ...), ...)} in the same file. */
    private static final Pattern ROW_TAGS = Pattern.compile("Tags\\s*\\.\\s*of\\s*\\(\\s*\"([^\"]+)\"");
    private static final Pattern SHORTHAND = Pattern.compile("\\.\\s*(counter|timer|gauge|summary)\\s*\\(\\s*\"");
    private static final Pattern TAG = Pattern.compile("\\.\\s*tag\\s*\\(\\s*\"([^\"]+)\"");
    private static final Pattern BASE_UNIT = Pattern.compile("\\.\\s*baseUnit\\s*\\(\\s*\"([^\"]+)\"");
    private static final Pattern LITERAL = Pattern.compile("\"([a-z][a-z0-9_.]*)\"");

    /** A meter as the sources register it. */
    record Meter(String name, String type, Set<String> tags, String baseUnit, String where) {
        String prometheus() {
            String base = name.replace('.', '_');
            return switch (type) {
                case "counter" -> base + "_total";
                case "timer" -> base + "_seconds";
                default -> baseUnit == null ? base : base + "_" + baseUnit;
            };
        }
    }

    private static Map<String, Meter> meters;
    private static Map<String, MarkdownTables.Row> documented;
    private static boolean poolsRegistered;

    @BeforeAll
    static void read() {
        meters = new TreeMap<>();
        Path root = ErrorCodeScan.projectRoot();
        for (Path source : ErrorCodeScan.moduleFiles("src/main/java", ".java")) {
            String text = ErrorCodeScan.withoutComments(ErrorCodeScan.read(source));
            String where = root.relativize(source).toString();
            poolsRegistered |= text.contains("setMetricRegistry(");
            Matcher builder = BUILDER.matcher(text);
            while (builder.find()) {
                List<String> args = ErrorCodeScan.arguments(text, builder.end() - 1);
                int end = text.indexOf(".register(", builder.end());
                assertTrue(end > 0, where + ": a meter builder without .register(");
                String chain = text.substring(builder.end(), end);
                Set<String> tags = new TreeSet<>();
                Matcher tag = TAG.matcher(chain);
                while (tag.find()) {
                    tags.add(tag.group(1));
                }
                if (builder.group(1).equals("MultiGauge")) {
                    Matcher rowTag = ROW_TAGS.matcher(text);
                    while (rowTag.find()) {
                        tags.add(rowTag.group(1));
                    }
                }
                Matcher unit = BASE_UNIT.matcher(chain);
                add(new Meter(name(args.get(0), where), type(builder.group(1)), tags, unit.find() ? unit.group(1) : null, where));
            }
            Matcher shorthand = SHORTHAND.matcher(text);
            while (shorthand.find()) {
                int open = text.lastIndexOf('(', shorthand.end());
                List<String> args = ErrorCodeScan.arguments(text, open);
                Set<String> tags = new TreeSet<>();
                for (int i = 1; i + 1 < args.size(); i += 2) {
                    tags.add(name(args.get(i), where));
                }
                add(new Meter(name(args.get(0), where), type(shorthand.group(1)), tags, null, where));
            }
        }
        documented = new LinkedHashMap<>();
        for (MarkdownTables.Row row : MarkdownTables.rows(MarkdownTables.page(PAGE), "meter")) {
            assertTrue(documented.put(row.name(), row) == null, PAGE + ":" + row.line() + " documents " + row.name() + " twice");
        }
    }

    private static void add(Meter meter) {
        Meter before = meters.putIfAbsent(meter.name(), meter);
        assertTrue(before == null || before.type().equals(meter.type()) && before.tags().equals(meter.tags()),
                meter.name() + " is registered twice, differently: " + before + " and " + meter);
    }

    private static String name(String arg, String where) {
        Matcher literal = LITERAL.matcher(arg);
        assertTrue(literal.matches(), where + ": a meter's name or tag " + arg + " is not a literal; give it as one");
        return literal.group(1);
    }

    private static String type(String registration) {
        return switch (registration) {
            case "Counter", "FunctionCounter", "counter" -> "counter";
            case "Timer", "FunctionTimer", "LongTaskTimer", "timer" -> "timer";
            case "DistributionSummary", "summary" -> "summary";
            default -> "gauge";
        };
    }

    @Test
    void theScanFindsTheMetersTheReadmeNames() {
        // A scan that finds nothing would let an empty table pass: these are registered in three ways.
        assertTrue(meters.keySet().containsAll(Set.of("sqlgate.http.requests", "sqlgate.node.up", "sqlgate.proxy.fallback")),
                "the scan misses meters: " + meters.keySet());
    }

    @Test
    void theTableHasEveryMeterAndNoOther() {
        Set<String> missing = new TreeSet<>(meters.keySet());
        missing.removeAll(documented.keySet());
        Set<String> gone = new TreeSet<>(documented.keySet());
        gone.removeAll(meters.keySet());
        assertTrue(missing.isEmpty(), PAGE + " does not document " + missing.stream().map(m -> m + " (" + meters.get(m).where() + ")").toList());
        assertTrue(gone.isEmpty(), PAGE + " documents meters no tier registers: " + gone);
    }

    @Test
    void eachMeterHasItsPrometheusNameTypeAndTags() {
        List<String> wrong = new ArrayList<>();
        meters.values().stream().filter(m -> documented.containsKey(m.name())).forEach(meter -> {
            MarkdownTables.Row row = documented.get(meter.name());
            if (!row.cell(1).equals("`" + meter.prometheus() + "`")) {
                wrong.add(meter.name() + ": exported as " + meter.prometheus() + ", the table says " + row.cell(1));
            }
            if (!row.cell(2).equals(meter.type())) {
                wrong.add(meter.name() + ": a " + meter.type() + ", the table says " + row.cell(2));
            }
            Set<String> tags = tagNames(row.cell(3));
            if (!tags.equals(meter.tags())) {
                wrong.add(meter.name() + ": tags " + meter.tags() + ", the table says " + tags);
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void theConnectionPoolsMetersAreDescribedWhenThePoolsRegisterThem() {
        if (poolsRegistered) {
            assertTrue(MarkdownTables.page(PAGE).contains("`hikaricp_connections_active`"),
                    "the proxy's pools register HikariCP's meters; " + PAGE + " must describe them");
        }
    }

    @Test
    void theAlertRulesUseOnlyExportedMeters() {
        String page = MarkdownTables.page(PAGE);
        int start = page.indexOf("```yaml", page.indexOf("### Alert rules"));
        assertTrue(start > 0, PAGE + " has no alert rules");
        String rules = page.substring(start, page.indexOf("```", start + 7));
        Set<String> exported = new TreeSet<>();
        meters.values().forEach(m -> {
            exported.add(m.prometheus());
            if (m.type().equals("timer")) {
                exported.addAll(List.of(m.prometheus() + "_count", m.prometheus() + "_sum", m.prometheus() + "_max"));
            }
        });
        Matcher used = Pattern.compile("\\b(sqlgate_[a-z_]+)").matcher(rules);
        while (used.find()) {
            assertTrue(exported.contains(used.group(1)), "an alert rule uses " + used.group(1) + ", which no tier exports");
        }
    }

    /** The backquoted names in a tags cell, leaving out what parentheses say about their values. */
    private static Set<String> tagNames(String cell) {
        String names = cell.replaceAll("\\([^)]*\\)", "");
        Set<String> tags = new TreeSet<>();
        Matcher quoted = Pattern.compile("`([^`]+)`").matcher(names);
        while (quoted.find()) {
            tags.add(quoted.group(1));
        }
        return tags;
    }
}

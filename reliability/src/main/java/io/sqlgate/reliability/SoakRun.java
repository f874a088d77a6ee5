package io.sqlgate.reliability;

import io.sqlgate.testkit.Chain;
import io.sqlgate.testkit.Chain.Tier;
import io.sqlgate.testkit.LocalCluster;
import io.sqlgate.testkit.ProcessStats;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A soak: the maximum throughput measured briefly (unless given), then half of it for a while, sampling each
 * tier's resident memory, open descriptors and threads, and the proxy's pools. It must show no 5xx and no
 * unanswered request, less than 10% memory growth after the warm-up, no descriptor or connection growth, and
 * every acknowledged write in the database.
 */
public final class SoakRun {
    private static final double MAX_RSS_GROWTH = 0.10;
    private static final int FD_SLACK = 5;

    private final LocalCluster cluster;
    private final Chain chain;
    private final String runId;
    private final Path dir;
    private final PrintStream progress;

    public SoakRun(LocalCluster cluster, Chain chain, String runId, Path dir, PrintStream progress) {
        this.cluster = cluster;
        this.chain = chain;
        this.runId = runId;
        this.dir = dir;
        this.progress = progress;
    }

    public record Result(String report, List<String> problems) {
    }

    /** One sampling moment: seconds since the soak began, per tier process figures, the proxy's pool gauges, answers so far. */
    record Point(double seconds, Map<Tier, ProcessStats.Sample> tiers, Map<String, Double> pools, int answers) {
    }

    public Result run(double rate, Duration measure, Duration duration, Duration warmup, int workers, Duration sample)
            throws IOException, SQLException {
        List<Outcome> measured = List.of();
        double maximum = Double.NaN;
        if (rate <= 0) {
            progress.println("measuring the maximum throughput for " + measure.toSeconds() + " s (" + Math.max(16, workers * 2) + " clients)");
            Load max = new Load(new Load.Settings(chain.url(Tier.GATEKEEPER), chain.writerKey(), runId + "-m", Math.max(16, workers * 2), 0,
                    Duration.ofSeconds(25), Long.MAX_VALUE)).start();
            Pause.of(measure);
            max.stop();
            measured = max.outcomes();
            // The tiers' JIT takes tens of seconds to settle: the first two thirds warm them up, and the maximum
            // is the rate of the last third.
            double to = measured.stream().mapToDouble(Outcome::endMs).max().orElse(1);
            double from = to * 2 / 3;
            long ok = measured.stream().filter(o -> o.ok() && o.endMs() > from).count();
            maximum = ok / ((to - from) / 1000);
            for (double t = 0; t < to; t += 2_000) {
                double start = t;
                progress.printf("  %4.0f-%.0f s: %.0f answers/s%n", t / 1000, (t + 2_000) / 1000,
                        measured.stream().filter(o -> o.ok() && o.endMs() > start && o.endMs() <= start + 2_000).count() / 2.0);
            }
            rate = Math.max(1, Math.floor(maximum / 2));
            progress.printf("maximum %.0f answers/s (over the last third); soaking at %.0f/s%n", maximum, rate);
        }
        Load load = new Load(new Load.Settings(chain.url(Tier.GATEKEEPER), chain.writerKey(), runId, workers, rate,
                Duration.ofSeconds(25), Long.MAX_VALUE));
        List<Point> points = new ArrayList<>();
        long started = System.nanoTime();
        load.start();
        try {
            while (true) {
                double seconds = (System.nanoTime() - started) / 1e9;
                points.add(point(seconds, load.outcomes().size()));
                if (seconds >= duration.toSeconds()) {
                    break;
                }
                if (points.size() % Math.max(1, (int) (60 / sample.toSeconds())) == 0) {
                    progress.printf("  %4.0f s: %d answers%n", seconds, load.outcomes().size());
                }
                Pause.millis(Math.min(sample.toMillis(), (long) ((duration.toSeconds() - seconds) * 1000) + 1));
            }
        } finally {
            load.stop();
        }
        // two seconds without load: what the tiers hold when idle
        Pause.millis(2_000);
        Point idle = point((System.nanoTime() - started) / 1e9, load.outcomes().size());
        List<Outcome> outcomes = load.outcomes();
        List<Outcome> all = new ArrayList<>(measured);
        all.addAll(outcomes);
        WriteCheck writes = WriteCheck.verify(cluster, runId, all);
        chart(points);
        return analyse(rate, maximum, duration, warmup, workers, outcomes, points, idle, writes);
    }

    private Point point(double seconds, int answers) throws IOException {
        Map<Tier, ProcessStats.Sample> tiers = new EnumMap<>(Tier.class);
        for (Tier tier : Tier.values()) {
            tiers.put(tier, ProcessStats.of(chain.tier(tier).pid()));
        }
        return new Point(seconds, tiers, PoolGauges.of(chain.tier(Tier.PROXY).get("/prometheus")), answers);
    }

    private Result analyse(double rate, double maximum, Duration duration, Duration warmup, int workers, List<Outcome> outcomes,
                           List<Point> points, Point idle, WriteCheck writes) {
        List<String> problems = new ArrayList<>();
        Point warm = points.stream().filter(p -> p.seconds() >= warmup.toSeconds()).findFirst().orElse(points.get(0));
        Point last = points.get(points.size() - 1);
        Map<String, Long> byStatus = outcomes.stream().collect(Collectors.groupingBy(Outcome::label, TreeMap::new, Collectors.counting()));
        long serverErrors = outcomes.stream().filter(o -> o.status() >= 500).count();
        long unanswered = outcomes.stream().filter(o -> !o.answered()).count();
        long stale = outcomes.stream().filter(o -> !o.consistent()).count();
        double[] latencies = outcomes.stream().mapToDouble(Outcome::latencyMs).sorted().toArray();
        double seconds = outcomes.isEmpty() ? 1 : (outcomes.get(outcomes.size() - 1).endMs() - outcomes.get(0).startMs()) / 1000;
        if (serverErrors > 0) {
            problems.add(serverErrors + " answers were 5xx");
        }
        if (unanswered > 0) {
            problems.add(unanswered + " requests got no answer");
        }
        if (stale > 0) {
            problems.add(stale + " reads missed an acknowledged write");
        }
        if (!writes.clean()) {
            problems.add("writes: " + writes.summary());
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format("Soak %s: %s at %.0f requests/s (%s), %d clients; warm-up %d s%n%n", runId, human(duration), rate,
                Double.isNaN(maximum) ? "rate given" : String.format("half the measured maximum of %.0f answers/s", maximum),
                workers, warmup.toSeconds()));
        out.append(String.format("%d requests (%.1f/s achieved): %s; 5xx: %d; unanswered: %d; stale reads: %d%n", outcomes.size(),
                outcomes.size() / seconds, byStatus.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")),
                serverErrors, unanswered, stale));
        out.append(String.format("answer time p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", pct(latencies, 50), pct(latencies, 99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1]));
        out.append("Writes: ").append(writes.summary()).append("\n\n");
        out.append(String.format("| tier | RSS after warm-up (%.0f s) | RSS at the end | growth | max RSS after warm-up | open fds after warm-up"
                + " / at the end / max / idle | threads after warm-up / at the end |%n", warm.seconds()));
        out.append("|---|---:|---:|---:|---:|---|---|\n");
        for (Tier tier : Tier.values()) {
            ProcessStats.Sample w = warm.tiers().get(tier);
            ProcessStats.Sample e = last.tiers().get(tier);
            long maxRss = points.stream().filter(p -> p.seconds() >= warm.seconds()).mapToLong(p -> p.tiers().get(tier).rssKib()).max().orElse(0);
            int maxFds = points.stream().filter(p -> p.seconds() >= warm.seconds()).mapToInt(p -> p.tiers().get(tier).fds()).max().orElse(0);
            double growth = (double) e.rssKib() / w.rssKib() - 1;
            out.append(String.format("| %s | %.1f MiB | %.1f MiB | %+.1f%% | %.1f MiB | %d / %d / %d / %d | %d / %d |%n", tier.module(),
                    w.rssKib() / 1024.0, e.rssKib() / 1024.0, growth * 100, maxRss / 1024.0, w.fds(), e.fds(), maxFds,
                    idle.tiers().get(tier).fds(), w.threads(), e.threads()));
            if (growth >= MAX_RSS_GROWTH) {
                problems.add(tier.module() + ": resident memory grew " + String.format("%.1f%%", growth * 100) + " after the warm-up");
            }
            if (e.fds() > w.fds() + FD_SLACK || idle.tiers().get(tier).fds() > w.fds() + FD_SLACK) {
                problems.add(tier.module() + ": open descriptors grew from " + w.fds() + " to " + e.fds() + " (idle " + idle.tiers().get(tier).fds() + ")");
            }
        }
        out.append("\n| proxy pool | connections after warm-up / at the end / max / idle | active max | pending max / at the end | timeouts |\n");
        out.append("|---|---|---:|---|---:|\n");
        for (String pool : new TreeSet<>(last.pools().keySet().stream().map(k -> k.substring(0, k.indexOf(' '))).toList())) {
            double connectionsWarm = warm.pools().getOrDefault(pool + " connections", Double.NaN);
            double connectionsEnd = last.pools().getOrDefault(pool + " connections", Double.NaN);
            double connectionsIdle = idle.pools().getOrDefault(pool + " connections", Double.NaN);
            double connectionsMax = points.stream().mapToDouble(p -> p.pools().getOrDefault(pool + " connections", 0.0)).max().orElse(0);
            double activeMax = points.stream().mapToDouble(p -> p.pools().getOrDefault(pool + " active", 0.0)).max().orElse(0);
            double pendingMax = points.stream().filter(p -> p.seconds() >= warm.seconds())
                    .mapToDouble(p -> p.pools().getOrDefault(pool + " pending", 0.0)).max().orElse(0);
            double pendingEnd = idle.pools().getOrDefault(pool + " pending", 0.0);
            double poolMax = last.pools().getOrDefault(pool + " max", Double.NaN);
            double timeouts = idle.pools().getOrDefault(pool + " timeout_total", 0.0);
            out.append(String.format("| %s | %.0f / %.0f / %.0f / %.0f (of %.0f) | %.0f | %.0f / %.0f | %.0f |%n", pool, connectionsWarm,
                    connectionsEnd, connectionsMax, connectionsIdle, poolMax, activeMax, pendingMax, pendingEnd, timeouts));
            if (connectionsMax > poolMax || connectionsIdle > connectionsWarm || pendingEnd > 0) {
                problems.add("pool " + pool + ": connections " + connectionsWarm + " after warm-up, " + connectionsIdle + " idle at the end (max "
                        + connectionsMax + " of " + poolMax + "), pending at the end " + pendingEnd);
            }
            if (timeouts > 0) {
                problems.add("pool " + pool + ": " + timeouts + " connection timeouts");
            }
        }
        out.append(problems.isEmpty() ? "\nNo problem found.\n" : "\nProblems:\n- " + String.join("\n- ", problems) + "\n");
        return new Result(out.toString(), problems);
    }

    private void chart(List<Point> points) throws IOException {
        Map<String, Map<String, double[][]>> panels = new LinkedHashMap<>();
        double[] x = points.stream().mapToDouble(Point::seconds).toArray();
        Map<String, double[][]> rss = new LinkedHashMap<>();
        Map<String, double[][]> fds = new LinkedHashMap<>();
        for (Tier tier : Tier.values()) {
            rss.put(tier.module(), new double[][]{x, points.stream().mapToDouble(p -> p.tiers().get(tier).rssKib() / 1024.0).toArray()});
            fds.put(tier.module(), new double[][]{x, points.stream().mapToDouble(p -> p.tiers().get(tier).fds()).toArray()});
        }
        panels.put("resident memory (MiB)", rss);
        panels.put("open file descriptors", fds);
        Map<String, double[][]> pools = new LinkedHashMap<>();
        for (String key : points.get(points.size() - 1).pools().keySet()) {
            if (key.endsWith(" connections") || key.endsWith(" active")) {
                pools.put(key, new double[][]{x, points.stream().mapToDouble(p -> p.pools().getOrDefault(key, 0.0)).toArray()});
            }
        }
        panels.put("proxy pool connections", pools);
        double[] rate = new double[points.size()];
        for (int i = 1; i < points.size(); i++) {
            rate[i] = (points.get(i).answers() - points.get(i - 1).answers()) / Math.max(0.001, x[i] - x[i - 1]);
        }
        panels.put("answers per second", Map.of("answers", new double[][]{x, rate}));
        Charts.series("soak", "seconds", panels, dir.resolve("soak.png"));
    }

    private static double pct(double[] sorted, double p) {
        return sorted.length == 0 ? 0 : Percentiles.of(sorted, p);
    }

    private static String human(Duration duration) {
        return duration.toSeconds() % 60 == 0 ? duration.toMinutes() + " min" : duration.toSeconds() + " s";
    }
}

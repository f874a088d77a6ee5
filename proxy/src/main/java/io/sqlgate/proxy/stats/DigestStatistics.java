package io.sqlgate.proxy.stats;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.annotation.Scheduled;
import io.sqlgate.hop.Sha256;
import io.sqlgate.proxy.ProxyConfiguration;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each statement digest cost, as ProxySQL's {@code stats_mysql_query_digest} tells it: count, errors, rows,
 * total, min and max latency, first and last seen, nodes and strategies. Bounded whatever clients send: at most
 * {@code proxy.statistics.max-digests} digests, each text cut at {@link #MAX_TEXT} characters. When they are all
 * taken, a new digest replaces the least used one (fewest statements, then the longest unseen), so that a flood of
 * distinct statements only ever replaces its own kind and never a frequent digest, whose counts stay whole. The top
 * {@code proxy.statistics.prometheus-top} by total time are also gauges, labelled by a digest's short hash.
 */
@Singleton
public final class DigestStatistics {
    /** Longer digest texts are kept, and counted together, by their first this many characters. */
    static final int MAX_TEXT = 2048;

    private final Map<String, Figures> digests = new ConcurrentHashMap<>();
    private final int maxDigests;
    private final boolean enabled;
    /** Held while a digest is added, and one replaced when they are all taken. */
    private final Object admission = new Object();
    private final int prometheusTop;
    private final MultiGauge seconds;
    private final MultiGauge statements;

    public DigestStatistics(ProxyConfiguration configuration, MeterRegistry meters) {
        this(configuration.statistics().maxDigests(), configuration.statistics().prometheusTop(), meters,
                configuration.statistics().enabled());
    }

    DigestStatistics(int maxDigests, int prometheusTop, MeterRegistry meters) {
        this(maxDigests, prometheusTop, meters, true);
    }

    private DigestStatistics(int maxDigests, int prometheusTop, MeterRegistry meters, boolean enabled) {
        this.enabled = enabled;
        this.maxDigests = maxDigests;
        this.prometheusTop = prometheusTop;
        this.seconds = MultiGauge.builder("sqlgate.digest.time").baseUnit("seconds")
                .description("Total time of the statements of a digest, for the digests that took the most (GET /stats/digests has them all)")
                .register(meters);
        this.statements = MultiGauge.builder("sqlgate.digest.statements")
                .description("Statements of a digest, for the digests that took the most time").register(meters);
    }

    /**
     * One statement of this digest ran, or failed.
     *
     * @param node     the node it ran on, or null when it failed before one was chosen
     * @param strategy its strategy ({@code writer} for writes), or null with node
     * @param rows     rows read or affected
     */
    public void record(String digest, @Nullable String node, @Nullable String strategy, long rows, long nanos, boolean error) {
        if (!enabled) {
            return;
        }
        String key = digest.length() <= MAX_TEXT ? digest : digest.substring(0, MAX_TEXT);
        Figures figures = digests.get(key);
        long now = System.currentTimeMillis();
        (figures != null ? figures : admit(key, now)).add(node, strategy, rows, nanos, error, now);
    }

    private Figures admit(String key, long now) {
        synchronized (admission) {
            Figures known = digests.get(key);
            if (known != null) {
                return known;
            }
            if (digests.size() >= maxDigests) {
                digests.values().stream().min(Comparator.comparingLong(Figures::count).thenComparingLong(Figures::lastSeen))
                        .ifPresent(least -> digests.remove(least.text));
            }
            Figures figures = new Figures(key, now);
            digests.put(key, figures);
            return figures;
        }
    }

    /** Every digest kept, the costliest (total time) first. */
    public List<DigestFigures> byTotalTime() {
        List<DigestFigures> all = new ArrayList<>();
        for (Figures figures : digests.values()) {
            all.add(figures.snapshot());
        }
        all.sort(Comparator.comparingDouble(DigestFigures::totalMs).reversed().thenComparing(DigestFigures::text));
        return all;
    }

    /** The gauges of the top digests, again: called on a schedule so that a scrape costs no sort. */
    @Scheduled(fixedDelay = "15s", initialDelay = "15s")
    void publish() {
        List<DigestFigures> top = byTotalTime().stream().limit(prometheusTop).toList();
        seconds.register(top.stream().map(d -> MultiGauge.Row.of(Tags.of("digest", d.digest()), d.totalMs() / 1000.0)).toList(), true);
        statements.register(top.stream().map(d -> MultiGauge.Row.of(Tags.of("digest", d.digest()), d.count())).toList(), true);
    }

    /**
     * One digest's figures, as {@code GET /stats/digests} shows them.
     *
     * @param digest the first 16 hex digits of the SHA-256 of its text: the label of its gauges
     */
    @io.micronaut.serde.annotation.Serdeable
    public record DigestFigures(String digest, String text, long count, long errors, long rows, double totalMs, double minMs,
                                double maxMs, Instant firstSeen, Instant lastSeen, List<String> nodes, List<String> strategies) {
    }

    /** Mutable figures of one digest, updated under its own lock. */
    private static final class Figures {
        private final String text;
        private final long firstSeen;
        private long lastSeen;
        private long count;
        private long errors;
        private long rows;
        private long totalNanos;
        private long minNanos = Long.MAX_VALUE;
        private long maxNanos;
        private final TreeSet<String> nodes = new TreeSet<>();
        private final TreeSet<String> strategies = new TreeSet<>();

        Figures(String text, long now) {
            this.text = text;
            this.firstSeen = now;
            this.lastSeen = now;
        }

        synchronized void add(@Nullable String node, @Nullable String strategy, long rowCount, long nanos, boolean error, long now) {
            count++;
            errors += error ? 1 : 0;
            rows += rowCount;
            totalNanos += nanos;
            minNanos = Math.min(minNanos, nanos);
            maxNanos = Math.max(maxNanos, nanos);
            lastSeen = now;
            // bounded: the configured nodes, and the strategies and "writer"
            if (node != null) {
                nodes.add(node);
            }
            if (strategy != null) {
                strategies.add(strategy);
            }
        }

        synchronized long count() {
            return count;
        }

        synchronized long lastSeen() {
            return lastSeen;
        }

        synchronized DigestFigures snapshot() {
            return new DigestFigures(Sha256.hex(text).substring(0, 16), text, count, errors, rows, totalNanos / 1e6,
                    count == 0 ? 0 : minNanos / 1e6, maxNanos / 1e6, Instant.ofEpochMilli(firstSeen), Instant.ofEpochMilli(lastSeen),
                    List.copyOf(nodes), List.copyOf(strategies));
        }
    }
}

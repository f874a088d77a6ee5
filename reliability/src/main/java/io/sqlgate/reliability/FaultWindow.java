package io.sqlgate.reliability;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One fault of a run and the answers around it. Times are in ms on the load's clock.
 *
 * @param name        what was done, e.g. "kill -9 node3, then restart it"
 * @param startMs     the phase begins (steady load before the fault)
 * @param faultMs     the fault was injected
 * @param restoreMs   the restart was issued
 * @param restoredMs  the restart returned (node Synced, tier ready)
 * @param recoveredMs the first answer showing the restored part serving again (its end), or NaN if none came
 * @param endMs       the phase ends
 * @param outcomes    every request that started in the phase
 */
public record FaultWindow(String name, double startMs, double faultMs, double restoreMs, double restoredMs,
                          double recoveredMs, double endMs, List<Outcome> outcomes) {

    public static FaultWindow of(String name, double startMs, double faultMs, double restoreMs, double restoredMs,
                                 double recoveredMs, double endMs, List<Outcome> all) {
        List<Outcome> mine = all.stream().filter(o -> o.startMs() >= startMs && o.startMs() < endMs).toList();
        return new FaultWindow(name, startMs, faultMs, restoreMs, restoredMs, recoveredMs, endMs, mine);
    }

    /** Answers by status and code, most frequent first after 200. */
    public Map<String, Long> byStatus() {
        return outcomes.stream().collect(Collectors.groupingBy(Outcome::label, TreeMap::new, Collectors.counting()));
    }

    public List<Outcome> errors() {
        return outcomes.stream().filter(o -> !o.ok()).toList();
    }

    /** From the start of the first answer that was not a 200 to the end of the last one; empty when there were none. */
    public Optional<double[]> errorWindow() {
        List<Outcome> errors = errors();
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        double first = errors.stream().mapToDouble(Outcome::startMs).min().orElseThrow();
        double last = errors.stream().mapToDouble(Outcome::endMs).max().orElseThrow();
        return Optional.of(new double[]{first, last});
    }

    /**
     * The end of the first write answered 200 that was sent after the fault: when writes were taken again. With the
     * writer killed, that is on its successor; NaN when no write after the fault was answered.
     */
    public double writesAgainMs() {
        return outcomes.stream().filter(o -> o.ok() && o.op().write() && o.startMs() > faultMs).mapToDouble(Outcome::endMs)
                .min().orElse(Double.NaN);
    }

    public String writesAgainText() {
        double at = writesAgainMs();
        if (Double.isNaN(at)) {
            return "never";
        }
        return String.format("%+.1f s%s", (at - faultMs) / 1000, at < restoreMs ? ", before the restart" : ", after the restart");
    }

    public Outcome longest() {
        return outcomes.stream().max(Comparator.comparingDouble(Outcome::latencyMs)).orElse(null);
    }

    public long staleReads() {
        return outcomes.stream().filter(o -> !o.consistent()).count();
    }

    public long fallbacks() {
        return outcomes.stream().filter(Outcome::fallback).count();
    }

    /** From the restart being issued to the first answer served by the restored part. */
    public double backInServiceMs() {
        return recoveredMs - restoreMs;
    }

    /** From the fault to full recovery: the restored part serves again and no error answer is still to come. */
    public double fullRecoveryMs() {
        double lastError = errorWindow().map(w -> w[1]).orElse(faultMs);
        return Math.max(recoveredMs, lastError) - faultMs;
    }

    public boolean recovered() {
        return !Double.isNaN(recoveredMs);
    }

    public String errorWindowText() {
        return errorWindow().map(w -> String.format("%.1f s (%+.1f s to %+.1f s)", (w[1] - w[0]) / 1000, (w[0] - faultMs) / 1000,
                (w[1] - faultMs) / 1000)).orElse("none");
    }

    public String statusText() {
        return byStatus().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
    }

    public String render() {
        Outcome longest = longest();
        return String.format("%s%n  requests %d; answers %s%n  errors %s (window relative to the fault)%n"
                        + "  longest answer %.0f ms (%s %s)%n  fault held %.1f s; restart took %.1f s; back in service %.1f s after the restart;"
                        + " full recovery %.1f s after the fault%n  writes answered again %s%n"
                        + "  stale reads %d, reads served by the writer as fallback %d",
                name, outcomes.size(), statusText(), errorWindowText(), longest == null ? 0 : longest.latencyMs(),
                longest == null ? "" : longest.op(), longest == null ? "" : longest.label(), (restoreMs - faultMs) / 1000,
                (restoredMs - restoreMs) / 1000, backInServiceMs() / 1000, fullRecoveryMs() / 1000, writesAgainText(), staleReads(), fallbacks());
    }
}

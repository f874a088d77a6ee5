package io.sqlgate.reliability;

import io.sqlgate.testkit.Chain;
import io.sqlgate.testkit.Chain.Tier;
import io.sqlgate.testkit.LocalCluster;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The faults, one after the other, under a steady load that runs throughout: kill -9 of a read node then its
 * restart, kill -9 of the writer then its restart, and restarts of the proxy, the trusted host and the
 * gatekeeper. Each fault is a {@link FaultWindow}: steady load, the fault, its restoration, the wait for the
 * restored part to serve again (bounded), and a settling period.
 */
public final class FaultSuite {

    /**
     * @param steady          load before each fault
     * @param nodeDown        how long a killed node stays down before its restart
     * @param recoveryTimeout the longest wait for the restored part to serve again
     * @param settle          load after the recovery, before the next fault
     */
    public record Settings(Duration steady, Duration nodeDown, Duration recoveryTimeout, Duration settle) {
    }

    private interface Step {
        void run() throws Exception;
    }

    private final LocalCluster cluster;
    private final Chain chain;
    private final Load load;
    private final Settings settings;
    private final PrintStream progress;

    public FaultSuite(LocalCluster cluster, Chain chain, Load load, Settings settings, PrintStream progress) {
        this.cluster = cluster;
        this.chain = chain;
        this.load = load;
        this.settings = settings;
        this.progress = progress;
    }

    public List<FaultWindow> run() throws Exception {
        List<FaultWindow> windows = new ArrayList<>();
        windows.add(nodeFault("node3", "read node", o -> o.ok() && "node3".equals(o.servedBy())));
        // the writer: writes move to another node while it is down; back, it serves reads (no failback)
        windows.add(nodeFault("node1", "writer", o -> o.ok() && "node1".equals(o.servedBy())));
        for (Tier tier : List.of(Tier.PROXY, Tier.TRUSTED_HOST, Tier.GATEKEEPER)) {
            windows.add(phase("restart the " + tier.module().replace('-', ' '), () -> chain.stop(tier), Duration.ZERO,
                    () -> chain.start(tier), Outcome::ok));
        }
        return windows;
    }

    private FaultWindow nodeFault(String node, String role, Predicate<Outcome> serving) throws Exception {
        try {
            return phase("kill -9 " + node + " (" + role + "), restart it", () -> cluster.killNode(node), settings.nodeDown(),
                    () -> cluster.startNode(node), serving);
        } finally {
            if ("down".equals(cluster.state(node))) {
                cluster.startNode(node);
            }
        }
    }

    private FaultWindow phase(String name, Step fault, Duration hold, Step restore, Predicate<Outcome> serving) throws Exception {
        progress.println("== " + name);
        double start = load.now();
        Pause.of(settings.steady());
        double faultAt = load.now();
        fault.run();
        progress.printf("   fault injected at %+.1f s%n", (faultAt - start) / 1000);
        Pause.of(hold);
        double restoreAt = load.now();
        restore.run();
        double restoredAt = load.now();
        progress.printf("   restart issued at %+.1f s, returned after %.1f s%n", (restoreAt - faultAt) / 1000, (restoredAt - restoreAt) / 1000);
        Optional<Outcome> back = load.await(restoreAt, settings.recoveryTimeout(), serving);
        double recoveredAt = back.map(Outcome::endMs).orElse(Double.NaN);
        progress.println(back.isPresent() ? String.format("   serving again %.1f s after the restart", (recoveredAt - restoreAt) / 1000)
                : "   NOT serving again after " + settings.recoveryTimeout().toSeconds() + " s");
        Pause.of(settings.settle());
        return FaultWindow.of(name, start, faultAt, restoreAt, restoredAt, recoveredAt, load.now(), load.outcomes());
    }

    /** How soon after a node's kill writes must be answered again: Galera's eviction of the dead node takes about 3 s here. */
    static final double WRITES_AGAIN_BOUND_MS = 5_000;

    /** Everything the run must show; empty when it does. */
    public static List<String> problems(List<FaultWindow> windows, WriteCheck writes, Duration answerBound) {
        List<String> problems = new ArrayList<>();
        for (FaultWindow window : windows) {
            if (!window.recovered()) {
                problems.add(window.name() + ": did not serve again");
            }
            Outcome longest = window.longest();
            if (longest != null && longest.latencyMs() > answerBound.toMillis()) {
                problems.add(window.name() + ": an answer took " + Math.round(longest.latencyMs()) + " ms, over the bound of "
                        + answerBound.toMillis() + " ms");
            }
            // A node held down longer than a failover takes must not stop writes for as long as it is down.
            double writesAgain = window.writesAgainMs() - window.faultMs();
            if (window.restoreMs() - window.faultMs() > WRITES_AGAIN_BOUND_MS && !(writesAgain <= WRITES_AGAIN_BOUND_MS)) {
                problems.add(window.name() + ": writes were not answered again within " + Math.round(WRITES_AGAIN_BOUND_MS / 1000)
                        + " s of the fault (" + window.writesAgainText() + ")");
            }
            if (window.staleReads() > 0) {
                problems.add(window.name() + ": " + window.staleReads() + " reads missed an acknowledged write");
            }
            long serverErrors = window.outcomes().stream().filter(o -> o.status() == 500).count();
            if (serverErrors > 0) {
                problems.add(window.name() + ": " + serverErrors + " answers were 500 (an internal error, not a clear refusal)");
            }
        }
        if (!writes.clean()) {
            problems.add("writes: " + writes.summary());
        }
        return problems;
    }

    /** A Markdown table of the windows. */
    public static String table(List<FaultWindow> windows) {
        StringBuilder out = new StringBuilder();
        out.append("| fault | requests | answers by status | error window (from the fault) | writes answered again | longest answer | "
                + "restart took | serving again after the restart | full recovery after the fault | stale reads |\n");
        out.append("|---|---:|---|---|---|---:|---:|---:|---:|---:|\n");
        for (FaultWindow window : windows) {
            Outcome longest = window.longest();
            out.append(String.format("| %s | %d | %s | %s | %s | %.2f s | %.1f s | %s | %s | %d |%n", window.name(), window.outcomes().size(),
                    window.statusText(), window.errorWindowText(), window.writesAgainText(), longest == null ? 0 : longest.latencyMs() / 1000,
                    (window.restoredMs() - window.restoreMs()) / 1000,
                    window.recovered() ? String.format("%.1f s", window.backInServiceMs() / 1000) : "never",
                    window.recovered() ? String.format("%.1f s", window.fullRecoveryMs() / 1000) : "never", window.staleReads()));
        }
        return out.toString();
    }

    public static void writeCsv(List<Outcome> outcomes, java.nio.file.Path csv) throws IOException {
        StringBuilder out = new StringBuilder("seq,op,route,strategy,start_ms,latency_ms,status,code,served_by,fallback,consistent,value,message\n");
        for (Outcome o : outcomes) {
            out.append(o.seq()).append(',').append(o.op()).append(',').append(o.op().route()).append(',')
                    .append(o.op().strategy() == null ? "" : o.op().strategy()).append(',')
                    .append(String.format("%.1f,%.1f", o.startMs(), o.latencyMs())).append(',').append(o.status()).append(',')
                    .append(o.code() == null ? "" : o.code()).append(',').append(o.servedBy() == null ? "" : o.servedBy()).append(',')
                    .append(o.fallback()).append(',').append(o.consistent()).append(',').append(o.value() == null ? "" : o.value())
                    .append(',').append(o.message() == null ? "" : '"' + o.message().replace('"', '\'').replace('\n', ' ') + '"')
                    .append('\n');
        }
        java.nio.file.Files.writeString(csv, out);
    }
}

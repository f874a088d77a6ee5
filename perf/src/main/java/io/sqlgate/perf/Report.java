package io.sqlgate.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The figures as Markdown (printed, and written between markers into docs/performance.md) and as charts. */
final class Report {
    static final String JDBC = "direct JDBC";
    static final String PROXY = "proxy alone";
    static final String CHAIN = "whole chain";
    /** The chain's inserts with the proxy's audit ledger off, beside {@link #CHAIN}'s with it on. */
    static final String LEDGER_OFF = "whole chain, ledger off";
    /** The chain's parameterised point reads with the proxy's digest statistics off, beside {@link #CHAIN}'s with them on. */
    static final String DIGESTS_OFF = "whole chain, digest statistics off";

    private final Path repo;
    private final List<Integer> concurrencies;
    private final List<Workload> workloads;
    private final List<LoadRunner.Result> results;
    private final List<LoadRunner.Result> strategies;
    private final Map<String, Double> readySeconds;
    private final Map<String, Double> firstReadySeconds;
    private final Map<String, Long> rssKib;
    private final int slowDelayMillis;
    private final String run;
    private final int strategyConcurrency;

    Report(Path repo, List<Integer> concurrencies, List<Workload> workloads, List<LoadRunner.Result> results,
           List<LoadRunner.Result> strategies, Map<String, Double> readySeconds, Map<String, Double> firstReadySeconds,
           Map<String, Long> rssKib, int slowDelayMillis, String run, int strategyConcurrency) {
        this.repo = repo;
        this.concurrencies = concurrencies;
        this.workloads = workloads;
        this.results = results;
        this.strategies = strategies;
        this.readySeconds = readySeconds;
        this.firstReadySeconds = firstReadySeconds;
        this.rssKib = rssKib;
        this.slowDelayMillis = slowDelayMillis;
        this.run = run;
        this.strategyConcurrency = strategyConcurrency;
    }

    private Optional<LoadRunner.Result> find(String target, Workload workload, int concurrency) {
        return results.stream().filter(r -> r.target().equals(target) && r.workload() == workload && r.concurrency() == concurrency)
                .findFirst();
    }

    String markdown(boolean withCharts) {
        StringBuilder md = new StringBuilder();
        md.append("Run: ").append(run).append(".\n\n");
        for (Workload workload : workloads) {
            md.append("#### ").append(capitalise(workload.title())).append("\n\n");
            md.append("| clients | target | req/s | p50 ms | p99 ms | p99.9 ms | errors | throughput vs JDBC | tiers' CPU per request |\n");
            md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (int concurrency : concurrencies) {
                Optional<LoadRunner.Result> jdbc = find(JDBC, workload, concurrency);
                for (String target : List.of(JDBC, PROXY, CHAIN)) {
                    Optional<LoadRunner.Result> found = find(target, workload, concurrency);
                    if (found.isEmpty()) {
                        continue;
                    }
                    LoadRunner.Result r = found.get();
                    String ratio = target.equals(JDBC) || jdbc.isEmpty() ? "1.00 (the limit)"
                            : f("%.1f %%", 100 * r.throughput() / jdbc.get().throughput());
                    double tiersCpu = tiersCpu(r);
                    md.append(f("| %d | %s | %.0f | %.3f | %.3f | %.3f | %d | %s | %s |%n", concurrency, target, r.throughput(),
                            r.p50Micros() / 1000, r.p99Micros() / 1000, r.p999Micros() / 1000, r.errors(), ratio,
                            target.equals(JDBC) ? "-" : f("%.0f us", tiersCpu)));
                }
            }
            md.append('\n');
            if (withCharts) {
                md.append("![").append(workload.title()).append("](img/bench-").append(workload.wireName()).append(".png)\n\n");
            }
        }
        ledgerTable(md);
        digestsTable(md);
        cpuTable(md);
        md.append("#### Each tier: start-up and resident memory\n\n");
        md.append("| tier | ready after process start | first start, which writes the class-data archive | largest resident set (VmHWM) |\n"
                + "|---|---:|---:|---:|\n");
        for (String tier : readySeconds.keySet()) {
            Double first = firstReadySeconds.get(tier);
            md.append(f("| %s | %.2f s | %s | %.0f MiB |%n", tier, readySeconds.get(tier), first == null ? "-" : f("%.2f s", first),
                    rssKib.getOrDefault(tier, 0L) / 1024.0));
        }
        md.append('\n');
        if (!strategies.isEmpty()) {
            md.append(f("#### Read strategies through the whole chain, node3 slowed by %d ms (point reads, %d clients)%n%n",
                    slowDelayMillis, strategyConcurrency));
            md.append("| strategy | req/s | p50 ms | p99 ms | p99.9 ms | errors |\n|---|---:|---:|---:|---:|---:|\n");
            for (LoadRunner.Result r : strategies) {
                md.append(f("| %s | %.0f | %.3f | %.3f | %.3f | %d |%n", r.target(), r.throughput(), r.p50Micros() / 1000,
                        r.p99Micros() / 1000, r.p999Micros() / 1000, r.errors()));
            }
            md.append('\n');
            if (withCharts) {
                md.append("![strategies](img/bench-strategies.png)\n\n");
            }
        }
        md.append("#### Targets\n\n| target | goal | measured | met |\n|---|---|---|---|\n");
        targets(md);
        return md.toString();
    }

    static final List<String> TIERS = List.of("gatekeeper", "trusted-host", "proxy");

    /** CPU microseconds per request in the three tiers together. */
    static double tiersCpu(LoadRunner.Result r) {
        return TIERS.stream().mapToDouble(t -> r.cpuMicrosPerRequest().getOrDefault(t, 0.0)).sum();
    }

    /** CPU microseconds per request in every process of the run. */
    static double totalCpu(LoadRunner.Result r) {
        return r.cpuMicrosPerRequest().values().stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).sum();
    }

    static String cpuText(LoadRunner.Result r) {
        List<String> parts = new ArrayList<>();
        r.cpuMicrosPerRequest().forEach((name, micros) -> parts.add(f("%s %.0f", name, micros)));
        return String.join(", ", parts);
    }

    /**
     * CPU per request of every process at 16 clients, and what it implies: when every process shares the same
     * cores and CPU is what limits, throughput is inversely proportional to the CPU a request costs in all of
     * them together, whatever else runs on the machine.
     */
    private void cpuTable(StringBuilder md) {
        md.append("#### CPU per request at 16 clients (microseconds, user + system, every process of the run)\n\n");
        md.append("| workload | target | load generator | database (3 nodes) | proxy | trusted host | gatekeeper | all | "
                + "share of JDBC's throughput this implies |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Workload workload : workloads) {
            Optional<LoadRunner.Result> jdbc = find(JDBC, workload, 16);
            for (String target : List.of(JDBC, PROXY, CHAIN)) {
                Optional<LoadRunner.Result> found = find(target, workload, 16);
                if (found.isEmpty()) {
                    continue;
                }
                Map<String, Double> cpu = found.get().cpuMicrosPerRequest();
                md.append(f("| %s | %s | %.0f | %.0f | %s | %s | %s | %.0f | %s |%n", workload.title(), target,
                        cpu.getOrDefault("load generator", Double.NaN), cpu.getOrDefault("database (3 nodes)", Double.NaN),
                        tierCpu(cpu, "proxy", target), tierCpu(cpu, "trusted-host", target), tierCpu(cpu, "gatekeeper", target),
                        totalCpu(found.get()), jdbc.isEmpty() ? "-" : f("%.1f %%", 100 * projected(jdbc.get(), found.get()))));
            }
        }
        md.append('\n');
    }

    private static String tierCpu(Map<String, Double> cpu, String tier, String target) {
        if (target.equals(JDBC) || (target.equals(PROXY) && !tier.equals("proxy"))) {
            return "-";
        }
        return f("%.0f", cpu.getOrDefault(tier, Double.NaN));
    }

    /** The throughput ratio that the CPU per request implies for a machine where CPU is the only limit. */
    static double projected(LoadRunner.Result jdbc, LoadRunner.Result other) {
        double mine = totalCpu(other) - idleCpu(other);
        return mine <= 0 ? Double.NaN : (totalCpu(jdbc) - idleCpu(jdbc)) / mine;
    }

    /** Tiers that the target does not go through still tick (health checks, pings): not the request's cost. */
    private static double idleCpu(LoadRunner.Result r) {
        Map<String, Double> cpu = r.cpuMicrosPerRequest();
        double idle = 0;
        if (r.target().equals(JDBC)) {
            idle += TIERS.stream().mapToDouble(t -> cpu.getOrDefault(t, 0.0)).sum();
        } else if (r.target().equals(PROXY)) {
            idle += cpu.getOrDefault("trusted-host", 0.0) + cpu.getOrDefault("gatekeeper", 0.0);
        }
        return idle;
    }

    /** Inserts through the chain with the audit ledger on (every write a transaction with its entry) beside off. */
    private void ledgerTable(StringBuilder md) {
        if (results.stream().noneMatch(r -> r.target().equals(LEDGER_OFF))) {
            return;
        }
        md.append("#### The audit ledger's cost: inserts through the whole chain, ledger on beside off\n\n");
        md.append("| clients | ledger | req/s | p50 ms | p99 ms | errors | tiers' CPU per request | throughput, on / off |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (int concurrency : concurrencies) {
            Optional<LoadRunner.Result> on = find(CHAIN, Workload.INSERT, concurrency);
            Optional<LoadRunner.Result> off = find(LEDGER_OFF, Workload.INSERT, concurrency);
            if (on.isEmpty() || off.isEmpty()) {
                continue;
            }
            for (LoadRunner.Result r : List.of(on.get(), off.get())) {
                md.append(f("| %d | %s | %.0f | %.3f | %.3f | %d | %.0f us | %s |%n", concurrency, r == on.get() ? "on" : "off",
                        r.throughput(), r.p50Micros() / 1000, r.p99Micros() / 1000, r.errors(), tiersCpu(r),
                        r == on.get() ? f("%.1f %%", 100 * on.get().throughput() / off.get().throughput()) : "-"));
            }
        }
        md.append('\n');
    }

    /** Point reads through the chain with the proxy's digest statistics on beside off: the proxy's CPU is their cost. */
    private void digestsTable(StringBuilder md) {
        if (results.stream().noneMatch(r -> r.target().equals(DIGESTS_OFF))) {
            return;
        }
        md.append("#### The digest statistics' cost: parameterised point reads through the whole chain, on beside off\n\n");
        md.append("| clients | statistics | req/s | p50 ms | p99 ms | errors | proxy's CPU per request | trusted host's | database's |"
                + " proxy's / trusted host's, on / off |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int concurrency : concurrencies) {
            Optional<LoadRunner.Result> on = find(CHAIN, Workload.POINT_READ, concurrency);
            Optional<LoadRunner.Result> off = find(DIGESTS_OFF, Workload.POINT_READ, concurrency);
            if (on.isEmpty() || off.isEmpty()) {
                continue;
            }
            for (LoadRunner.Result r : List.of(on.get(), off.get())) {
                md.append(f("| %d | %s | %.0f | %.3f | %.3f | %d | %.0f us | %.0f us | %.0f us | %s |%n", concurrency, r == on.get() ? "on" : "off",
                        r.throughput(), r.p50Micros() / 1000, r.p99Micros() / 1000, r.errors(), proxyCpu(r), cpu(r, "trusted-host"),
                        cpu(r, "database (3 nodes)"), r == on.get() ? f("%+.1f %%", digestCost(on.get(), off.get())) : "-"));
            }
        }
        md.append('\n');
    }

    private static double proxyCpu(LoadRunner.Result r) {
        return cpu(r, "proxy");
    }

    private static double cpu(LoadRunner.Result r, String group) {
        return r.cpuMicrosPerRequest().getOrDefault(group, Double.NaN);
    }

    /**
     * What the digest statistics add to the proxy's CPU per request, in percent: the proxy's CPU measured against the
     * trusted host's in the same measurement, on beside off. Between two measurements minutes apart every process's
     * CPU per request can move by a third (the database's and the load generator's too), far more than the
     * statistics could; the trusted host does the same work per request either way and meets the same machine.
     */
    static double digestCost(LoadRunner.Result on, LoadRunner.Result off) {
        return 100 * ((proxyCpu(on) / cpu(on, "trusted-host")) / (proxyCpu(off) / cpu(off, "trusted-host")) - 1);
    }

    private void targets(StringBuilder md) {
        // Every tier checks each statement for itself (a digest lookup per tier when the statement's digest is known).
        ratio(md, "chain, point reads with literal SQL, 16 clients", CHAIN, Workload.POINT_READ_LITERAL, 16, 18);
        ratio(md, "chain, parameterised point reads, 16 clients", CHAIN, Workload.POINT_READ, 16, 25);
        find(CHAIN, Workload.POINT_READ, 16).ifPresent(r -> md.append(f(
                "| chain, parameterised point reads, 16 clients: the three tiers' CPU per request | at most 400 us | %.0f us | %s |%n",
                tiersCpu(r), yes(tiersCpu(r) <= 400))));
        ratio(md, "proxy alone, parameterised point reads, 16 clients", PROXY, Workload.POINT_READ, 16, 50);
        Optional<LoadRunner.Result> jdbc1 = find(JDBC, Workload.POINT_READ, 1);
        Optional<LoadRunner.Result> chain1 = find(CHAIN, Workload.POINT_READ, 1);
        if (jdbc1.isPresent() && chain1.isPresent()) {
            double added = (chain1.get().p50Micros() - jdbc1.get().p50Micros()) / 1000;
            md.append(f("| chain's median over direct JDBC's, 1 client | at most 0.600 ms | %.3f ms | %s |%n", added, yes(added <= 0.6)));
        }
        Optional<LoadRunner.Result> ledgerOn = find(CHAIN, Workload.INSERT, 16);
        Optional<LoadRunner.Result> ledgerOff = find(LEDGER_OFF, Workload.INSERT, 16);
        if (ledgerOn.isPresent() && ledgerOff.isPresent()) {
            double percent = 100 * ledgerOn.get().throughput() / ledgerOff.get().throughput();
            md.append(f("| chain, inserts, 16 clients: throughput with the audit ledger on | at least 75 %% of it off | %.1f %% (%.0f vs %.0f req/s) | %s |%n",
                    percent, ledgerOn.get().throughput(), ledgerOff.get().throughput(), yes(percent >= 75)));
        }
        Optional<LoadRunner.Result> digestsOn = find(CHAIN, Workload.POINT_READ, 16);
        Optional<LoadRunner.Result> digestsOff = find(DIGESTS_OFF, Workload.POINT_READ, 16);
        if (digestsOn.isPresent() && digestsOff.isPresent()) {
            double percent = digestCost(digestsOn.get(), digestsOff.get());
            md.append(f("| chain, parameterised point reads, 16 clients: the proxy's CPU for the digest statistics (against the trusted host's) |"
                    + " at most 5 %% of it | %+.1f %% (%.0f vs %.0f us; trusted host %.0f vs %.0f us) | %s |%n", percent,
                    proxyCpu(digestsOn.get()), proxyCpu(digestsOff.get()), cpu(digestsOn.get(), "trusted-host"),
                    cpu(digestsOff.get(), "trusted-host"), yes(percent <= 5)));
        }
        for (String tier : readySeconds.keySet()) {
            double mib = rssKib.getOrDefault(tier, 0L) / 1024.0;
            double ready = readySeconds.get(tier);
            md.append(f("| %s: resident memory / ready after start | under 300 MiB / within 3 s | %.0f MiB / %.2f s | %s |%n", tier,
                    mib, ready, yes(mib < 300 && ready <= 3)));
        }
        if (strategies.size() == 3) {
            double random = strategies.get(1).p50Micros();
            double customized = strategies.get(2).p50Micros();
            md.append(f("| customized's p50 vs random's, node3 slowed | clearly lower | %.3f ms vs %.3f ms | %s |%n",
                    customized / 1000, random / 1000, yes(customized < 0.8 * random)));
        }
        md.append('\n');
    }

    private void ratio(StringBuilder md, String what, String target, Workload workload, int concurrency, double goalPercent) {
        Optional<LoadRunner.Result> jdbc = find(JDBC, workload, concurrency);
        Optional<LoadRunner.Result> measured = find(target, workload, concurrency);
        if (jdbc.isEmpty() || measured.isEmpty()) {
            return;
        }
        double percent = 100 * measured.get().throughput() / jdbc.get().throughput();
        double implied = 100 * projected(jdbc.get(), measured.get());
        md.append(f("| %s | at least %.0f %% of direct JDBC | %.1f %% (%.0f vs %.0f req/s); %.1f %% implied by CPU per request | %s |%n",
                what, goalPercent, percent, measured.get().throughput(), jdbc.get().throughput(), implied,
                percent >= goalPercent ? "yes" : implied >= goalPercent ? "**no** as measured; yes by CPU per request" : "**no**"));
    }

    void write(Path file, Path images) throws IOException {
        for (Workload workload : workloads) {
            Map<String, List<Double>> series = new LinkedHashMap<>();
            for (String target : List.of(JDBC, PROXY, CHAIN)) {
                List<Double> values = new ArrayList<>();
                for (int concurrency : concurrencies) {
                    values.add(find(target, workload, concurrency).map(LoadRunner.Result::throughput).orElse(0.0));
                }
                series.put(target, values);
            }
            Charts.throughput(images.resolve("bench-" + workload.wireName() + ".png"), workload, concurrencies, series);
        }
        if (!strategies.isEmpty()) {
            Charts.strategies(images.resolve("bench-strategies.png"),
                    f("Point reads through the chain, node3 slowed by %d ms, %d clients", slowDelayMillis, strategyConcurrency),
                    strategies.stream().map(LoadRunner.Result::target).toList(),
                    strategies.stream().map(r -> r.p50Micros() / 1000).toList(),
                    strategies.stream().map(r -> r.p99Micros() / 1000).toList());
        }
        replaceSection(file, "results", markdown(true));
    }

    static String profileMarkdown(List<JfrSummary.Summary> summaries, List<LoadRunner.Result> results, String run) {
        StringBuilder md = new StringBuilder();
        md.append("Recorded: ").append(run).append("; JFR (`settings=default`, execution samples every 20 ms, started after the warm-up, the tier warmed up again, only the measured windows kept) in every tier during the measured ")
                .append(String.join(", ", results.stream().map(r -> r.workload().title()).distinct().toList())).append(" at 16 clients.\n\n");
        for (LoadRunner.Result r : results) {
            md.append(f("- %s, %s: %.0f req/s, p50 %.3f ms%n", r.target(), r.workload().title(), r.throughput(), r.p50Micros() / 1000));
        }
        md.append('\n');
        for (JfrSummary.Summary s : summaries) {
            md.append(f("##### %s: %d CPU samples, the JVM used %.0f %% of the machine's CPU, %d GCs (%.0f ms of pauses)%n%n",
                    s.tier(), s.samples(), 100 * s.cpuShare(), s.gcCount(), s.gcPauseMillis()));
            md.append("| where the CPU samples are | share |\n|---|---:|\n");
            s.byCategory().forEach((category, count) -> {
                if (count > 0) {
                    md.append(f("| %s | %.1f %% |%n", category, 100.0 * count / s.samples()));
                }
            });
            md.append("\nHottest methods (own time): ");
            List<String> top = new ArrayList<>();
            s.topMethods().forEach((method, count) -> top.add(f("`%s` %.1f %%", shorten(method), 100.0 * count / s.samples())));
            md.append(String.join(", ", top)).append(".\n\n");
        }
        return md.toString();
    }

    private static String shorten(String method) {
        String[] parts = method.split("\\.");
        return parts.length <= 2 ? method : parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    /** Replaces what lies between {@code <!-- bench:NAME:begin -->} and {@code <!-- bench:NAME:end -->}. */
    static void replaceSection(Path file, String name, String content) throws IOException {
        String begin = "<!-- bench:" + name + ":begin -->";
        String end = "<!-- bench:" + name + ":end -->";
        String text = Files.exists(file) ? Files.readString(file) : "# Performance\n\n";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        String block = begin + "\n" + content + end;
        if (from >= 0 && to > from) {
            text = text.substring(0, from) + block + text.substring(to + end.length());
        } else {
            text = text + "\n" + block + "\n";
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static String yes(boolean met) {
        return met ? "yes" : "**no**";
    }

    private static String capitalise(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String f(String format, Object... arguments) {
        return String.format(Locale.ROOT, format, arguments);
    }
}

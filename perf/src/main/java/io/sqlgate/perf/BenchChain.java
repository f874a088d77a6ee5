package io.sqlgate.perf;

import io.sqlgate.hop.signing.HopSigner;
import io.sqlgate.testkit.Chain;
import io.sqlgate.testkit.Chain.Tier;
import io.sqlgate.testkit.DelayingTcpRelay;
import io.sqlgate.testkit.Eventually;
import io.sqlgate.testkit.LocalCluster;
import io.sqlgate.testkit.TierProcess;
import org.awaitility.core.ConditionTimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/**
 * Measures, in one run on one machine against the same cluster and data, direct JDBC (the limit), the proxy
 * alone and the whole chain, for each workload and concurrency; then the read strategies with one read node
 * slowed. Prints the figures and writes them, with charts, into docs/performance.md. Started by bin/bench-chain,
 * which prepares the table and the cluster.
 */
@Command(name = "bench-chain", mixinStandardHelpOptions = true,
        description = "Direct JDBC vs the proxy alone vs the whole chain, side by side.")
public final class BenchChain implements Callable<Integer> {
    /** The proxy's pool per node (proxy.database.pool-size), which one key's statements in flight may fill; direct JDBC's pool. */
    private static final int POOL_SIZE = 16;
    @Option(names = "--repo", description = "repository root (default: current directory)")
    Path repo = Path.of("").toAbsolutePath();
    @Option(names = "--quick", description = "short warm-up and measurements: a smoke run, not figures to quote")
    boolean quick;
    @Option(names = "--warmup", description = "warm-up of each fresh target before its first measurement, s (default 60; quick 15)")
    Double warmup;
    @Option(names = "--warmup-requests", description = "requests each fresh target must have served before measuring: the JIT compiles "
            + "by invocation counts, so a slow start needs more than seconds (default 40000; quick 5000; the warm-up stops at 4 times --warmup)")
    Long warmupRequests;
    @Option(names = "--cell-warmup", description = "warm-up before each measurement, s (default 3; quick 1)")
    Double cellWarmup;
    @Option(names = "--duration", description = "length of each measurement, s (default 10; quick 3)")
    Double duration;
    @Option(names = "--concurrency", split = ",", description = "closed-loop clients (default 1,4,16,64)")
    List<Integer> concurrencies = List.of(1, 4, 16, 64);
    @Option(names = "--workloads", split = ",", description = "point-read, point-read-literal, insert (default all)")
    List<String> workloads = List.of("point-read", "point-read-literal", "insert");
    @Option(names = "--slow-node-delay-ms", description = "delay added to node3's answers for the strategy comparison (default 3)")
    int slowDelayMillis = 3;
    @Option(names = "--strategy-concurrency", description = "clients for the strategy comparison (default 4)")
    int strategyConcurrency = 4;
    @Option(names = "--no-strategies", description = "skip the strategy comparison")
    boolean noStrategies;
    @Option(names = "--no-ledger-comparison", description = "skip the inserts with the proxy's audit ledger off")
    boolean noLedgerComparison;
    @Option(names = "--no-digest-comparison", description = "skip the point reads with the proxy's digest statistics off")
    boolean noDigestComparison;
    @Option(names = "--profile", description = "record JFR in every tier at concurrency 16 and summarise where the time goes: during the "
            + "reads of the selected workloads, or during every workload given with --workloads (--workloads insert for the writes)")
    boolean profile;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = "--report", description = "Markdown file whose generated section is replaced (default docs/performance.md; 'none' writes nothing)")
    String report = "docs/performance.md";
    @Option(names = "--tier-jvm-options", description = "JVM options of each tier (default: ${DEFAULT-VALUE})")
    String tierJvmOptions = "-XX:+UseSerialGC -Xms48m -Xmx160m -XX:+ExitOnOutOfMemoryError -Dmicronaut.netty.event-loops.default.num-threads=1";
    @Option(names = "--no-class-data-archive", description = "start the tiers without the class-data archive that each tier's first "
            + "start writes (-XX:ArchiveClassesAtExit) and later starts map (-XX:SharedArchiveFile)")
    boolean noClassDataArchive;
    @Option(names = "--work-dir", description = "the tiers' jars, logs and recordings (default .work/bench)")
    Path workDir;
    @Option(names = "--gatekeeper-port", defaultValue = "${env:SQLGATE_GATEKEEPER_PORT:-8080}",
            description = "the gatekeeper's port (SQLGATE_GATEKEEPER_PORT; default ${DEFAULT-VALUE})")
    int gatekeeperPort;
    @Option(names = "--trusted-host-port", defaultValue = "${env:SQLGATE_TRUSTED_HOST_PORT:-8081}",
            description = "the trusted host's port (SQLGATE_TRUSTED_HOST_PORT; default ${DEFAULT-VALUE})")
    int trustedHostPort;
    @Option(names = "--proxy-port", defaultValue = "${env:SQLGATE_PROXY_PORT:-8082}",
            description = "the proxy's port (SQLGATE_PROXY_PORT; default ${DEFAULT-VALUE})")
    int proxyPort;

    private LocalCluster cluster;
    private Chain chain;
    private CpuMeter cpu;
    private final Map<String, Double> readySeconds = new LinkedHashMap<>();
    /** Ready after a start without an archive: the first start, which writes it. */
    private final Map<String, Double> firstReadySeconds = new LinkedHashMap<>();
    private final Map<String, Long> rssKib = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchChain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        warmup = warmup != null ? warmup : quick ? 15.0 : 60.0;
        warmupRequests = warmupRequests != null ? warmupRequests : quick ? 5_000L : 40_000L;
        cellWarmup = cellWarmup != null ? cellWarmup : quick ? 1.0 : 3.0;
        duration = duration != null ? duration : quick ? 3.0 : 10.0;
        workDir = workDir != null ? workDir : repo.resolve(".work/bench");
        cluster = new LocalCluster(repo, System.getenv());
        Map<String, java.util.function.Supplier<List<Long>>> groups = new LinkedHashMap<>();
        groups.put("load generator", () -> List.of(ProcessHandle.current().pid()));
        groups.put("database (3 nodes)", () -> {
            List<Long> pids = new ArrayList<>();
            for (String node : LocalCluster.NODES) {
                pids.addAll(CpuMeter.pidFile(cluster.clusterDir().resolve(node).resolve("mariadbd.pid")));
            }
            return pids;
        });
        for (Tier tier : Tier.values()) {
            groups.put(tier.module(), () -> chain.running(tier) ? List.of(chain.tier(tier).pid()) : List.of());
        }
        cpu = new CpuMeter(groups);
        Files.createDirectories(workDir.resolve("jars"));
        try (var old = Files.list(workDir.resolve("jars"))) {
            // Jars and their class-data archives: an archive is valid only for the jar it was written from.
            old.filter(f -> f.toString().endsWith(".jar") || f.toString().endsWith(".jsa")).forEach(f -> f.toFile().delete());
        }
        // The benchmark measures the chain, not the per-key limits: the clients are spread over keys, none with more
        // statements in flight than the proxy lets one key hold (a node's pool), and each key's other limits are lifted.
        int keys = Math.max(1, (concurrencies.stream().mapToInt(Integer::intValue).max().orElse(1) + POOL_SIZE - 1) / POOL_SIZE);
        chain = Chain.on(cluster).name("bench").writerKeys(keys).ports(gatekeeperPort, trustedHostPort, proxyPort).workDir(workDir)
                .jvmOptions(Arrays.asList(tierJvmOptions.trim().split("\\s+")))
                .environment(Map.of("SQLGATE_SERVER_MAX_IN_FLIGHT", "100000", "SQLGATE_POLICY_ALLOWED_TABLES", Workload.TABLE,
                        "SQLGATE_PARSING_TIME_PER_KEY", "1000s", "SQLGATE_PARSING_BURST_PER_KEY", "10000s"))
                .environment(Tier.PROXY, Map.of("PROXY_LIMITS_READER_IN_FLIGHT", "100000", "PROXY_LIMITS_WRITER_IN_FLIGHT", "100000",
                        "PROXY_LIMITS_NODE_SHARE", "1.0", "PROXY_LIMITS_STATEMENT_TIME_PER_KEY", "1000s",
                        "PROXY_LIMITS_STATEMENT_TIME_BURST", "10000s"))
                .environment(Tier.GATEKEEPER, Map.of("GATEKEEPER_RATE_LIMIT_REQUESTS_PER_SECOND", "10000000",
                        "GATEKEEPER_RATE_LIMIT_BURST", "10000000"))
                .build();
        List<Chain.ApiKey> apiKeys = chain.writerKeys();
        HopSigner proxySigner = new HopSigner(chain.signingSecret(Tier.TRUSTED_HOST));
        List<Workload> selected = workloads.stream().map(Workload::fromWire).toList();
        if (profile) {
            if (!spec.commandLine().getParseResult().hasMatchedOption("--workloads")) {
                selected = selected.stream().filter(w -> !w.writes()).toList();
            }
            concurrencies = List.of(16);
            noStrategies = true;
            noLedgerComparison = true;
            noDigestComparison = true;
        }

        log("starting the tiers (%s)", tierJvmOptions);
        for (Tier tier : Tier.values()) {
            readySeconds.put(tier.module(), seconds(start(tier, UnaryOperator.identity()).readyAfter()));
        }
        awaitNodesUp();

        List<Target> targets = List.of(
                new Target.Jdbc(LocalCluster.jdbcUrl(cluster.host(), cluster.port("node1"), false), cluster.appUser(), cluster.appPassword(), POOL_SIZE),
                new Target.Http("proxy alone", proxyPort, proxySigner, apiKeys, "direct"),
                new Target.Http("whole chain", gatekeeperPort, null, apiKeys, "direct"));
        List<LoadRunner.Result> results = new ArrayList<>();
        for (Target target : targets) {
            warmUp(target, selected);
            if (profile && !(target instanceof Target.Jdbc)) {
                startRecordings(target, selected);
            }
            for (Workload workload : selected) {
                for (int concurrency : concurrencies) {
                    results.add(measure(target, workload, concurrency));
                }
            }
            if (profile && !(target instanceof Target.Jdbc)) {
                stopRecordings(target);
            }
        }
        targets.forEach(Target::close);
        for (TierProcess tier : running()) {
            rssKib.put(tier.name(), tier.stats().peakRssKib());
        }
        if (selected.contains(Workload.INSERT) && !noLedgerComparison) {
            results.addAll(withTheProxy("PROXY_AUDIT_ENABLED", Report.LEDGER_OFF, Workload.INSERT, apiKeys));
        }
        if (selected.contains(Workload.POINT_READ) && !noDigestComparison) {
            results.addAll(withTheProxy("PROXY_STATISTICS_ENABLED", Report.DIGESTS_OFF, Workload.POINT_READ, apiKeys));
        }

        List<LoadRunner.Result> strategies = new ArrayList<>();
        if (!noStrategies) {
            strategies = compareStrategies(apiKeys);
        }
        chain.close();

        Report out = new Report(repo, concurrencies, selected, results, strategies, readySeconds, firstReadySeconds, rssKib, slowDelayMillis,
                describeRun(), strategyConcurrency);
        System.out.println();
        System.out.println(out.markdown(false));
        if (profile) {
            List<JfrSummary.Summary> summaries = new ArrayList<>();
            for (String tier : List.of("gatekeeper", "trusted-host", "proxy")) {
                for (String target : List.of("whole chain", "proxy alone")) {
                    Path file = recording(tier, target);
                    if (Files.exists(file) && (target.equals(Report.CHAIN) || tier.equals("proxy"))) {
                        summaries.add(JfrSummary.read(tier + " (" + target + ")", file));
                    }
                }
            }
            String section = Report.profileMarkdown(summaries, results, describeRun());
            System.out.println(section);
            if (!report.equals("none")) {
                Report.replaceSection(repo.resolve(report), "profile", section);
                log("wrote the profile section of %s", report);
            }
        } else if (!report.equals("none")) {
            out.write(repo.resolve(report), repo.resolve("docs/img"));
            log("wrote %s and its charts under docs/img", report);
        }
        return 0;
    }

    /** At least {@code warmup} seconds and {@code warmupRequests} requests (at most 4 x warmup seconds), every workload in turn. */
    private void warmUp(Target target, List<Workload> selected) throws InterruptedException {
        long started = System.nanoTime();
        long served = 0;
        int rounds = 0;
        while (true) {
            double elapsed = (System.nanoTime() - started) / 1e9;
            if (elapsed >= warmup && served >= warmupRequests || elapsed >= 4 * warmup) {
                break;
            }
            Workload workload = selected.get(rounds++ % selected.size());
            served += LoadRunner.run(target, workload, 16, 0, Math.min(5, Math.max(1, warmup / 4))).requests();
        }
        log("%s: warmed up with %d requests in %.0f s", target.name(), served, (System.nanoTime() - started) / 1e9);
    }

    /**
     * The chain's workload again, the proxy restarted with one of its features off ({@code switchVariable=false}):
     * the feature's cost, side by side in one run (the audit ledger for inserts, the digest statistics for reads).
     */
    private List<LoadRunner.Result> withTheProxy(String switchVariable, String targetName, Workload workload, List<Chain.ApiKey> apiKeys)
            throws Exception {
        log("%s: restarting the proxy with %s=false for the %s beside it on", targetName, switchVariable, workload.title());
        chain.stop(Tier.PROXY);
        List<LoadRunner.Result> results = new ArrayList<>();
        start(Tier.PROXY, launch -> launch.environment(switchVariable, "false"));
        awaitNodesUp();
        try (Target target = new Target.Http(targetName, gatekeeperPort, null, apiKeys, "direct")) {
            // A fresh proxy: warmed up as the one with the feature was, or the comparison would be its JIT's
            warmUp(target, List.of(workload));
            for (int concurrency : concurrencies) {
                results.add(measure(target, workload, concurrency));
            }
        }
        // Left with the feature off: what follows (another comparison, the strategies) restarts the proxy with its own.
        return results;
    }

    /** One cell: a workload at a concurrency against a target, logged as it is measured. */
    private LoadRunner.Result measure(Target target, Workload workload, int concurrency) throws InterruptedException {
        LoadRunner.Result result = LoadRunner.run(target, workload, concurrency, cellWarmup, duration, cpu);
        running().forEach(tier -> tier.truncateLogOver(16L * 1024 * 1024));
        log("%-12s %-46s c=%-3d %9.0f req/s  p50 %7.3f ms  p99 %7.3f ms  p99.9 %7.3f ms  errors %d  CPU us/req %s",
                target.name(), workload.title(), concurrency, result.throughput(), result.p50Micros() / 1000,
                result.p99Micros() / 1000, result.p999Micros() / 1000, result.errors(), Report.cpuText(result));
        return result;
    }

    private List<LoadRunner.Result> compareStrategies(List<Chain.ApiKey> apiKeys) throws Exception {
        log("strategies: restarting the proxy with node3 behind a relay that delays its answers by %d ms", slowDelayMillis);
        chain.stop(Tier.PROXY);
        List<LoadRunner.Result> results = new ArrayList<>();
        try (DelayingTcpRelay relay = new DelayingTcpRelay(cluster.port("node3"))) {
            relay.delay(slowDelayMillis);
            start(Tier.PROXY, launch -> launch.environment("SQLGATE_NODE3_PORT", Integer.toString(relay.port())));
            awaitNodesUp();
            // Let the monitor's smoothed latencies settle and the fresh proxy warm up.
            double strategyWarmup = Math.max(5, warmup / 3);
            for (String strategy : List.of("direct", "random", "customized")) {
                Target target = new Target.Http("whole chain, " + strategy, gatekeeperPort, null, apiKeys, strategy);
                LoadRunner.run(target, Workload.POINT_READ, strategyConcurrency, 0, strategyWarmup / 3);
            }
            for (String strategy : List.of("direct", "random", "customized")) {
                Target target = new Target.Http(strategy, gatekeeperPort, null, apiKeys, strategy);
                LoadRunner.Result result = LoadRunner.run(target, Workload.POINT_READ, strategyConcurrency, cellWarmup, duration);
                results.add(result);
                log("strategy %-10s c=%d %8.0f req/s  p50 %7.3f ms  p99 %7.3f ms  errors %d", strategy, strategyConcurrency,
                        result.throughput(), result.p50Micros() / 1000, result.p99Micros() / 1000, result.errors());
            }
        }
        return results;
    }

    /**
     * Starts a tier with the class-data archive its first start writes (unless --no-class-data-archive), adjusted
     * for this start; the chain stops it.
     */
    private TierProcess start(Tier tier, UnaryOperator<TierProcess.Launch> adjust) throws Exception {
        UnaryOperator<TierProcess.Launch> options = adjust;
        if (!noClassDataArchive) {
            Path archive = classDataArchive(tier, adjust);
            options = launch -> adjust.apply(launch).jvmOption("-XX:SharedArchiveFile=" + archive);
        }
        TierProcess process = chain.start(tier, options);
        log("%s ready %.2f s after its process started (pid %d, port %d)", tier.module(), seconds(process.readyAfter()), process.pid(),
                process.port());
        return process;
    }

    /**
     * The tier's class-data archive, written on its first start: the classes a start loads, parsed and verified
     * once and then mapped by every later start, which takes about half of a tier's start-up time away.
     */
    private Path classDataArchive(Tier tier, UnaryOperator<TierProcess.Launch> adjust) throws Exception {
        Path archive = workDir.resolve("jars").resolve(tier.module() + ".jsa");
        if (Files.exists(archive)) {
            return archive;
        }
        Path log = workDir.resolve("logs").resolve(tier.module() + "-first-start.log");
        try (TierProcess first = adjust.apply(chain.launch(tier)).jvmOption("-XX:ArchiveClassesAtExit=" + archive).log(log).start()) {
            firstReadySeconds.put(tier.module(), seconds(first.readyAfter()));
            log("%s ready %.2f s after its first start, which writes its class-data archive", tier.module(), seconds(first.readyAfter()));
        }
        if (!Files.exists(archive)) {
            throw new IOException(tier.module() + " wrote no class-data archive; see " + log);
        }
        return archive;
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    /** The tiers running now, in the order they were started. */
    private List<TierProcess> running() {
        return Arrays.stream(Tier.values()).filter(chain::running).map(chain::tier).toList();
    }

    /** The proxy is ready when its primary answers; the comparison needs every node up in the monitor's view. */
    private void awaitNodesUp() {
        try {
            Eventually.await(Duration.ofSeconds(60), "every node up in the proxy's view", () -> {
                String health = chain.tier(Tier.PROXY).get("/health/readiness");
                return !health.contains("\"up\":false") && health.contains("node3");
            });
        } catch (ConditionTimeoutException e) {
            log("warning: not every node is up in the proxy's view: %s", e.getMessage());
        }
    }

    private Path recording(String tier, String target) {
        return workDir.resolve(tier + "-" + target.replace(' ', '-') + ".jfr");
    }

    /** The tiers a target goes through: the proxy alone, or all three. */
    private List<TierProcess> tiersOf(Target target) {
        return target.name().equals(Report.PROXY) ? List.of(chain.tier(Tier.PROXY)) : running();
    }

    private long recordingFrom;

    /**
     * Starts a recording in each tier the target goes through. Starting one in a warm JVM deoptimises compiled
     * code, so the target is warmed up again before anything is measured; only the measured window is dumped.
     */
    private void startRecordings(Target target, List<Workload> selected) throws Exception {
        for (TierProcess tier : tiersOf(target)) {
            jcmd(tier.pid(), "JFR.start", "name=bench", "settings=default");
        }
        for (Workload workload : selected) {
            LoadRunner.run(target, workload, 16, 0, Math.max(10, warmup / 3) / selected.size());
        }
        recordingFrom = System.nanoTime();
    }

    private void stopRecordings(Target target) throws Exception {
        long seconds = (long) Math.ceil((System.nanoTime() - recordingFrom) / 1e9);
        for (TierProcess tier : tiersOf(target)) {
            Path file = recording(tier.name(), target.name());
            Files.deleteIfExists(file);
            jcmd(tier.pid(), "JFR.dump", "name=bench", "filename=" + file, "begin=-" + seconds + "s");
            jcmd(tier.pid(), "JFR.stop", "name=bench");
        }
    }

    private static void jcmd(long pid, String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        command.add(Long.toString(pid));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("jcmd " + String.join(" ", arguments) + " did not finish");
        }
    }

    private String describeRun() {
        return String.format(Locale.ROOT, "%s; %d cores; warm-up %.0f s per target, then per measurement %.0f s warm-up + %.0f s measured; "
                        + "tiers run with `%s`", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").format(ZonedDateTime.now(java.time.ZoneOffset.UTC)),
                Runtime.getRuntime().availableProcessors(), warmup, cellWarmup, duration, tierJvmOptions);
    }

    static void log(String format, Object... arguments) {
        System.err.printf(Locale.ROOT, "[bench-chain] " + format + "%n", arguments);
    }
}

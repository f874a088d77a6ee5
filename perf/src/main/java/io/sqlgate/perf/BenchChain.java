package io.sqlgate.perf;

import io.sqlgate.hop.signing.HopSigner;
import io.sqlgate.testkit.DelayingTcpRelay;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Measures, in one run on one machine against the same cluster and data, direct JDBC (the limit), the proxy
 * alone and the whole chain, for each workload and concurrency; then the read strategies with one read node
 * slowed. Prints the figures and writes them, with charts, into docs/performance.md. Started by bin/bench-chain,
 * which prepares the table and the cluster.
 */
@Command(name = "bench-chain", mixinStandardHelpOptions = true,
        description = "Direct JDBC vs the proxy alone vs the whole chain, side by side.")
public final class BenchChain implements Callable<Integer> {
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
    @Option(names = "--profile", description = "record JFR in every tier during point reads at concurrency 16 and summarise where the time goes")
    boolean profile;
    @Option(names = "--report", description = "Markdown file whose generated section is replaced (default docs/performance.md; 'none' writes nothing)")
    String report = "docs/performance.md";
    @Option(names = "--tier-jvm-options", description = "JVM options of each tier (default: ${DEFAULT-VALUE})")
    String tierJvmOptions = "-XX:+UseSerialGC -Xms48m -Xmx160m -XX:+ExitOnOutOfMemoryError -Dmicronaut.netty.event-loops.default.num-threads=1";
    @Option(names = "--no-class-data-archive", description = "start the tiers without the class-data archive that each tier's first "
            + "start writes (-XX:ArchiveClassesAtExit) and later starts map (-XX:SharedArchiveFile)")
    boolean noClassDataArchive;
    @Option(names = "--cluster-dir", description = "the local cluster's folder, for the database nodes' CPU time (default .work/cluster)")
    Path clusterDir;
    @Option(names = "--work-dir", description = "logs and recordings (default .work/bench)")
    Path workDir;

    private final List<TierProcess> running = new ArrayList<>();
    private CpuMeter cpu;
    private final Map<String, TierProcess> tiers = new LinkedHashMap<>();
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
        clusterDir = clusterDir != null ? clusterDir : repo.resolve(".work/cluster");
        Map<String, java.util.function.Supplier<List<Long>>> groups = new LinkedHashMap<>();
        groups.put("load generator", () -> List.of(ProcessHandle.current().pid()));
        groups.put("database (3 nodes)", () -> {
            List<Long> pids = new ArrayList<>();
            for (String node : List.of("node1", "node2", "node3")) {
                pids.addAll(CpuMeter.pidFile(clusterDir.resolve(node).resolve("mariadbd.pid")));
            }
            return pids;
        });
        for (String tier : List.of("proxy", "trusted-host", "gatekeeper")) {
            groups.put(tier, () -> tiers.containsKey(tier) ? List.of(tiers.get(tier).pid()) : List.of());
        }
        cpu = new CpuMeter(groups);
        Files.createDirectories(workDir);
        try (var old = Files.list(workDir.resolve("jars").toFile().exists() ? workDir.resolve("jars") : workDir)) {
            // Jars and their class-data archives: an archive is valid only for the jar it was written from.
            old.filter(f -> f.toString().endsWith(".jar") || f.toString().endsWith(".jsa")).forEach(f -> f.toFile().delete());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll));

        Env env = Env.read();
        String tierToProxy = secret();
        String gatekeeperToTier = secret();
        String apiKey = "bench-" + secret();
        HopSigner proxySigner = new HopSigner(tierToProxy);
        List<Workload> selected = workloads.stream().map(Workload::fromWire).toList();
        if (profile) {
            selected = selected.stream().filter(w -> !w.writes()).toList();
            concurrencies = List.of(16);
            noStrategies = true;
        }

        log("starting the tiers (%s)", tierJvmOptions);
        startProxy(env, tierToProxy, Map.of());
        start("trusted-host", env.trustedHostPort, Map.of("HOP_VERIFY_SECRET", gatekeeperToTier, "HOP_SIGN_SECRET", tierToProxy,
                "PROXY_URL", "http://127.0.0.1:" + env.proxyPort, "SQLGATE_SERVER_MAX_IN_FLIGHT", "100000",
                "SQLGATE_POLICY_ALLOWED_TABLES", Workload.TABLE, "SQLGATE_PARSING_TIME_PER_KEY", "1000s",
                "SQLGATE_PARSING_BURST_PER_KEY", "10000s"));
        start("gatekeeper", env.gatekeeperPort, Map.of("HOP_SIGN_SECRET", gatekeeperToTier,
                "TRUSTED_HOST_URL", "http://127.0.0.1:" + env.trustedHostPort,
                "GATEKEEPER_API_KEYS", "bench:writer:" + sha256(apiKey),
                "SQLGATE_POLICY_ALLOWED_TABLES", Workload.TABLE,
                "GATEKEEPER_RATE_LIMIT_REQUESTS_PER_SECOND", "10000000", "GATEKEEPER_RATE_LIMIT_BURST", "10000000",
                "SQLGATE_PARSING_TIME_PER_KEY", "1000s", "SQLGATE_PARSING_BURST_PER_KEY", "10000s", "SQLGATE_SERVER_MAX_IN_FLIGHT", "100000"));
        tiers.values().forEach(t -> readySeconds.put(t.name(), t.readySeconds()));
        awaitNodesUp(env);

        List<Target> targets = List.of(
                new Target.Jdbc(env.jdbcUrl(env.node1Port), env.appUser, env.appPassword, 16),
                new Target.Http("proxy alone", env.proxyPort, proxySigner, null, "direct"),
                new Target.Http("whole chain", env.gatekeeperPort, null, apiKey, "direct"));
        List<LoadRunner.Result> results = new ArrayList<>();
        for (Target target : targets) {
            warmUp(target, selected);
            if (profile && !(target instanceof Target.Jdbc)) {
                startRecordings(target, selected);
            }
            for (Workload workload : selected) {
                for (int concurrency : concurrencies) {
                    LoadRunner.Result result = LoadRunner.run(target, workload, concurrency, cellWarmup, duration, cpu);
                    results.add(result);
                    sampleRss();
                    tiers.values().forEach(TierProcess::truncateLog);
                    log("%-12s %-46s c=%-3d %9.0f req/s  p50 %7.3f ms  p99 %7.3f ms  p99.9 %7.3f ms  errors %d  CPU us/req %s",
                            target.name(), workload.title(), concurrency, result.throughput(), result.p50Micros() / 1000,
                            result.p99Micros() / 1000, result.p999Micros() / 1000, result.errors(), Report.cpuText(result));
                }
            }
            if (profile && !(target instanceof Target.Jdbc)) {
                stopRecordings(target);
            }
        }
        targets.forEach(Target::close);
        sampleRss();
        tiers.values().forEach(t -> rssKib.put(t.name(), t.maxRssKib()));

        List<LoadRunner.Result> strategies = new ArrayList<>();
        if (!noStrategies) {
            strategies = compareStrategies(env, tierToProxy, apiKey);
        }
        stopAll();

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

    private List<LoadRunner.Result> compareStrategies(Env env, String tierToProxy, String apiKey) throws Exception {
        log("strategies: restarting the proxy with node3 behind a relay that delays its answers by %d ms", slowDelayMillis);
        TierProcess proxy = tiers.remove("proxy");
        proxy.close();
        running.remove(proxy);
        List<LoadRunner.Result> results = new ArrayList<>();
        try (DelayingTcpRelay relay = new DelayingTcpRelay(env.node3Port)) {
            relay.delay(slowDelayMillis);
            startProxy(env, tierToProxy, Map.of("proxy.nodes.node3.url",
                    env.jdbcUrl(relay.port()) + "?sessionVariables=wsrep_sync_wait=1"));
            awaitNodesUp(env);
            // Let the monitor's smoothed latencies settle and the fresh proxy warm up.
            double strategyWarmup = Math.max(5, warmup / 3);
            for (String strategy : List.of("direct", "random", "customized")) {
                Target target = new Target.Http("whole chain, " + strategy, env.gatekeeperPort, null, apiKey, strategy);
                LoadRunner.run(target, Workload.POINT_READ, strategyConcurrency, 0, strategyWarmup / 3);
            }
            for (String strategy : List.of("direct", "random", "customized")) {
                Target target = new Target.Http(strategy, env.gatekeeperPort, null, apiKey, strategy);
                LoadRunner.Result result = LoadRunner.run(target, Workload.POINT_READ, strategyConcurrency, cellWarmup, duration);
                results.add(result);
                log("strategy %-10s c=%d %8.0f req/s  p50 %7.3f ms  p99 %7.3f ms  errors %d", strategy, strategyConcurrency,
                        result.throughput(), result.p50Micros() / 1000, result.p99Micros() / 1000, result.errors());
            }
        }
        return results;
    }

    private void startProxy(Env env, String verifySecret, Map<String, String> systemProperties) throws Exception {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("MICRONAUT_ENVIRONMENTS", "local");
        variables.put("HOP_VERIFY_SECRET", verifySecret);
        variables.put("DB_USERNAME", env.appUser);
        variables.put("DB_PASSWORD", env.appPassword);
        variables.put("MONITOR_USERNAME", env.monitorUser);
        variables.put("MONITOR_PASSWORD", env.monitorPassword);
        variables.put("SQLGATE_NODE1_PORT", Integer.toString(env.node1Port));
        variables.put("SQLGATE_NODE2_PORT", Integer.toString(env.node2Port));
        variables.put("SQLGATE_NODE3_PORT", Integer.toString(env.node3Port));
        // The benchmark measures the chain, not the per-key limits: one key (or none, for the proxy alone) carries it all.
        variables.putAll(Map.of("PROXY_LIMITS_READER_IN_FLIGHT", "100000", "PROXY_LIMITS_WRITER_IN_FLIGHT", "100000",
                "PROXY_LIMITS_NODE_SHARE", "1.0", "PROXY_LIMITS_STATEMENT_TIME_PER_KEY", "1000s", "PROXY_LIMITS_STATEMENT_TIME_BURST",
                "10000s", "SQLGATE_SERVER_MAX_IN_FLIGHT", "100000", "SQLGATE_POLICY_ALLOWED_TABLES", Workload.TABLE,
                "SQLGATE_PARSING_TIME_PER_KEY", "1000s", "SQLGATE_PARSING_BURST_PER_KEY", "10000s"));
        List<String> extra = new ArrayList<>();
        systemProperties.forEach((k, v) -> extra.add("-D" + k + "=" + v));
        start("proxy", env.proxyPort, variables, extra);
    }

    /**
     * A copy of the tier's jar, taken once per run: a build in the same checkout replaces target/*.jar, and a
     * running JVM whose jar is replaced fails to load its next class.
     */
    private Path jarOf(String tier) throws IOException {
        Path copy = workDir.resolve("jars").resolve(tier + ".jar");
        if (!Files.exists(copy)) {
            Files.createDirectories(copy.getParent());
            Files.copy(repo.resolve(tier + "/target/" + tier + "-0.1.0.jar"), copy);
        }
        return copy;
    }

    private void start(String tier, int port, Map<String, String> env) throws Exception {
        start(tier, port, env, List.of());
    }

    private void start(String tier, int port, Map<String, String> env, List<String> extraOptions) throws Exception {
        List<String> options = new ArrayList<>(Arrays.asList(tierJvmOptions.trim().split("\\s+")));
        options.addAll(extraOptions);
        if (!noClassDataArchive) {
            options.add("-XX:SharedArchiveFile=" + classDataArchive(tier, port, env, options));
        }
        TierProcess process = TierProcess.start(tier, jarOf(tier), port, options, env, workDir.resolve(tier + ".log"));
        running.add(process);
        process.awaitReady(Duration.ofSeconds(120));
        tiers.put(tier, process);
        log("%s ready %.2f s after its process started (pid %d, port %d)", tier, process.readySeconds(), process.pid(), port);
    }

    /**
     * The tier's class-data archive, written on its first start: the classes a start loads, parsed and verified
     * once and then mapped by every later start, which takes about half of a tier's start-up time away.
     */
    private Path classDataArchive(String tier, int port, Map<String, String> env, List<String> options) throws Exception {
        Path archive = workDir.resolve("jars").resolve(tier + ".jsa");
        if (Files.exists(archive)) {
            return archive;
        }
        List<String> first = new ArrayList<>(options);
        first.add("-XX:ArchiveClassesAtExit=" + archive);
        try (TierProcess process = TierProcess.start(tier, jarOf(tier), port, first, env, workDir.resolve(tier + "-first-start.log"))) {
            running.add(process);
            process.awaitReady(Duration.ofSeconds(120));
            firstReadySeconds.put(tier, process.readySeconds());
            log("%s ready %.2f s after its first start, which writes its class-data archive", tier, process.readySeconds());
        }
        if (!Files.exists(archive)) {
            throw new IOException(tier + " wrote no class-data archive; see " + workDir.resolve(tier + "-first-start.log"));
        }
        return archive;
    }

    /** The proxy is ready when its primary answers; the comparison needs every node up in the monitor's view. */
    private void awaitNodesUp(Env env) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + env.proxyPort + "/health/readiness")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            if (!body.contains("\"up\":false") && body.contains("node3")) {
                return;
            }
            Thread.sleep(200);
        }
        log("warning: not every node is up in the proxy's view: %s", body);
    }

    private void sampleRss() {
        tiers.values().forEach(TierProcess::sampleRss);
    }

    private Path recording(String tier, String target) {
        return workDir.resolve(tier + "-" + target.replace(' ', '-') + ".jfr");
    }

    /** The tiers a target goes through: the proxy alone, or all three. */
    private List<TierProcess> tiersOf(Target target) {
        return target.name().equals(Report.PROXY) ? List.of(tiers.get("proxy")) : List.copyOf(tiers.values());
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

    private synchronized void stopAll() {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        running.clear();
    }

    private String describeRun() {
        return String.format(Locale.ROOT, "%s; %d cores; warm-up %.0f s per target, then per measurement %.0f s warm-up + %.0f s measured; "
                        + "tiers run with `%s`", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").format(ZonedDateTime.now(java.time.ZoneOffset.UTC)),
                Runtime.getRuntime().availableProcessors(), warmup, cellWarmup, duration, tierJvmOptions);
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static void log(String format, Object... arguments) {
        System.err.printf(Locale.ROOT, "[bench-chain] " + format + "%n", arguments);
    }

    /** Ports and credentials, from the environment that bin/local-cluster env and bin/bench-chain set. */
    record Env(int gatekeeperPort, int trustedHostPort, int proxyPort, int node1Port, int node2Port, int node3Port,
               String appUser, String appPassword, String monitorUser, String monitorPassword) {
        static Env read() {
            return new Env(port("SQLGATE_GATEKEEPER_PORT", 8080), port("SQLGATE_TRUSTED_HOST_PORT", 8081),
                    port("SQLGATE_PROXY_PORT", 8082), port("SQLGATE_NODE1_PORT", 3311), port("SQLGATE_NODE2_PORT", 3312),
                    port("SQLGATE_NODE3_PORT", 3313), required("SQLGATE_APP_USER"), required("SQLGATE_APP_PASSWORD"),
                    required("SQLGATE_MONITOR_USER"), required("SQLGATE_MONITOR_PASSWORD"));
        }

        String jdbcUrl(int port) {
            return "jdbc:mysql://127.0.0.1:" + port + "/main_db";
        }

        private static int port(String name, int fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
        }

        private static String required(String name) {
            String value = System.getenv(name);
            if (value == null) {
                throw new IllegalStateException(name + " is not set: eval \"$(bin/local-cluster env)\" first");
            }
            return value;
        }
    }
}

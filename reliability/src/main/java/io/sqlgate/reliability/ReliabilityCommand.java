package io.sqlgate.reliability;

import io.sqlgate.testkit.Chain;
import io.sqlgate.testkit.Chain.Tier;
import io.sqlgate.testkit.Eventually;
import io.sqlgate.testkit.LocalCluster;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code java -jar reliability.jar faults|soak|hostile|noisy}: each starts the three tiers as processes on loopback
 * in front of the running local cluster, does its run, writes its report under the work folder and exits
 * non-zero when the run showed a problem. {@code bin/fault-suite} and {@code bin/soak} call it.
 */
@Command(name = "reliability", mixinStandardHelpOptions = true,
        subcommands = {ReliabilityCommand.Faults.class, ReliabilityCommand.Soak.class, ReliabilityCommand.Hostile.class,
                ReliabilityCommand.Noisy.class},
        description = "Fault suite, soak and hostile input through the whole chain, on the local cluster.")
public final class ReliabilityCommand implements Callable<Integer> {
    /** The runs are long, and measure the tiers as they run in production: the JIT fully on. */
    static final List<String> TIER_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmx256m");

    public static void main(String[] args) {
        CommandLine line = new CommandLine(new ReliabilityCommand());
        line.registerConverter(Duration.class, ReliabilityCommand::duration);
        System.exit(line.execute(args));
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    /** "90s", "10m", "1h", "250ms" or ISO-8601 ("PT10S"). */
    static Duration duration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("pt")) {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        }
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (value.charAt(value.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("not a duration: " + text + " (use 90s, 10m, 1h or 250ms)");
        };
    }

    /** What every run needs: where the repository and the work folder are, and the tiers' ports. */
    static class Common {
        @Option(names = "--repo", description = "The repository (default: found from the working directory).")
        Path repo;

        @Option(names = "--work-dir", description = "Where logs, jars and the report go (default: <repo>/.work/reliability/<run>).")
        Path workDir;

        @Option(names = "--gatekeeper-port", defaultValue = "${env:SQLGATE_GATEKEEPER_PORT:-6080}")
        int gatekeeperPort;

        @Option(names = "--trusted-host-port", defaultValue = "${env:SQLGATE_TRUSTED_HOST_PORT:-6081}")
        int trustedHostPort;

        @Option(names = "--proxy-port", defaultValue = "${env:SQLGATE_PROXY_PORT:-6082}")
        int proxyPort;

        String runId;

        Path repository() {
            return repo != null ? repo.toAbsolutePath() : LocalCluster.repositoryRoot();
        }

        /** The local cluster, as this process's environment describes it. */
        LocalCluster cluster() {
            return new LocalCluster(repository(), System.getenv());
        }

        Path workDir(String kind) throws java.io.IOException {
            runId = kind + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Path dir = workDir != null ? workDir : repository().resolve(".work/reliability").resolve(runId);
            Files.createDirectories(dir);
            return dir;
        }

        Chain chain(LocalCluster cluster, Path dir) throws java.io.IOException {
            return chain(cluster, dir, Map.of());
        }

        /**
         * The tiers on this run's ports, from copies of their jars in {@code dir}. The limiter is not what these runs
         * measure: one key carries the whole load.
         *
         * @param settings environment for the tiers beyond the shipped configuration
         */
        Chain chain(LocalCluster cluster, Path dir, Map<String, String> settings) throws java.io.IOException {
            return Chain.on(cluster).name("reliability").ports(gatekeeperPort, trustedHostPort, proxyPort).workDir(dir)
                    .jvmOptions(TIER_JVM_OPTIONS)
                    .environment(Map.of("GATEKEEPER_RATE_LIMIT_REQUESTS_PER_SECOND", "1000000", "GATEKEEPER_RATE_LIMIT_BURST", "1000000"))
                    .environment(settings).build();
        }
    }

    @Command(name = "faults", mixinStandardHelpOptions = true,
            description = "Kill -9 a read node and the writer, restart each tier, all under steady mixed load; report and verify.")
    static final class Faults implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--rate", defaultValue = "60", description = "Requests per second of the steady load (default ${DEFAULT-VALUE}).")
        double rate;

        @Option(names = "--workers", defaultValue = "6", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
        int workers;

        @Option(names = "--steady", defaultValue = "5s", description = "Load before each fault (default ${DEFAULT-VALUE}).")
        Duration steady;

        @Option(names = "--node-down", defaultValue = "10s", description = "How long a killed node stays down (default ${DEFAULT-VALUE}).")
        Duration nodeDown;

        @Option(names = "--settle", defaultValue = "5s", description = "Load after each recovery (default ${DEFAULT-VALUE}).")
        Duration settle;

        @Option(names = "--recovery-timeout", defaultValue = "90s", description = "Longest wait for a restored part to serve (default ${DEFAULT-VALUE}).")
        Duration recoveryTimeout;

        @Option(names = "--timeout", defaultValue = "25s", description = "Client timeout of every request (default ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--answer-bound", defaultValue = "21s",
                description = "No answer may take longer: the gatekeeper's 20 s read timeout, plus 1 s (default ${DEFAULT-VALUE}).")
        Duration answerBound;

        @Override
        public Integer call() throws Exception {
            Path dir = common.workDir("fault");
            LocalCluster cluster = common.cluster();
            require(cluster.allSynced(), "all three nodes Synced before the run (bin/local-cluster status)");
            long maxRequests = (long) (rate * 900);
            try (Chain chain = common.chain(cluster, dir)) {
                chain.start();
                System.out.println("tiers ready; logs in " + dir.resolve("logs") + "; run " + common.runId);
                Load load = new Load(new Load.Settings(chain.url(Tier.GATEKEEPER), chain.writerKey(), common.runId, workers, rate,
                        timeout, maxRequests)).start();
                List<FaultWindow> windows;
                try {
                    windows = new FaultSuite(cluster, chain, load, new FaultSuite.Settings(steady, nodeDown, recoveryTimeout, settle),
                            System.out).run();
                } finally {
                    load.stop();
                }
                Eventually.await(Duration.ofMinutes(2), "all three nodes Synced after the run", cluster::allSynced);
                WriteCheck writes = WriteCheck.verify(cluster, common.runId, load.outcomes());
                FaultSuite.writeCsv(load.outcomes(), dir.resolve("outcomes.csv"));
                Charts.faults(windows, dir.resolve("faults.png"));
                StringBuilder report = new StringBuilder();
                report.append("Run ").append(common.runId).append(": ").append(load.outcomes().size()).append(" requests at ")
                        .append(rate).append("/s by ").append(workers).append(" clients, client timeout ").append(timeout.toSeconds())
                        .append(" s\n\n").append(FaultSuite.table(windows)).append("\nWrites: ").append(writes.summary()).append('\n');
                windows.forEach(w -> report.append('\n').append(w.render()).append('\n'));
                List<String> problems = FaultSuite.problems(windows, writes, answerBound);
                report.append(problems.isEmpty() ? "\nNo problem found.\n" : "\nProblems:\n- " + String.join("\n- ", problems) + "\n");
                Files.writeString(dir.resolve("faults.md"), report);
                System.out.println();
                System.out.println(report);
                System.out.println("report: " + dir.resolve("faults.md") + ", chart: " + dir.resolve("faults.png")
                        + ", every request: " + dir.resolve("outcomes.csv"));
                return problems.isEmpty() ? 0 : 1;
            }
        }
    }

    @Command(name = "soak", mixinStandardHelpOptions = true,
            description = "Half the measured maximum throughput for a while: no 5xx, no memory, descriptor or connection growth.")
    static final class Soak implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--duration", defaultValue = "10m", description = "How long the soak lasts (default ${DEFAULT-VALUE}).")
        Duration duration;

        @Option(names = "--quick", description = "A 60 s soak (warm-up 15 s) after 30 s to find the maximum.")
        boolean quick;

        @Option(names = "--rate", defaultValue = "0", description = "Requests per second; 0 measures the maximum first and takes half (default).")
        double rate;

        @Option(names = "--measure", defaultValue = "60s",
                description = "How long the unpaced run lasts that finds the maximum, from its last third (default ${DEFAULT-VALUE}).")
        Duration measure;

        @Option(names = "--warmup", description = "Growth is measured from here (default: a fifth of the duration).")
        Duration warmup;

        @Option(names = "--workers", defaultValue = "8", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
        int workers;

        @Option(names = "--sample", defaultValue = "5s", description = "Sampling interval (default ${DEFAULT-VALUE}).")
        Duration sample;

        @Override
        public Integer call() throws Exception {
            if (quick) {
                duration = Duration.ofSeconds(60);
                measure = Duration.ofSeconds(30);
                warmup = warmup == null ? Duration.ofSeconds(15) : warmup;
            }
            Duration warm = warmup != null ? warmup : duration.dividedBy(5);
            Path dir = common.workDir("soak");
            LocalCluster cluster = common.cluster();
            require(cluster.allSynced(), "all three nodes Synced before the run (bin/local-cluster status)");
            try (Chain chain = common.chain(cluster, dir)) {
                chain.start();
                System.out.println("tiers ready; logs in " + dir.resolve("logs") + "; run " + common.runId);
                SoakRun run = new SoakRun(cluster, chain, common.runId, dir, System.out);
                SoakRun.Result result = run.run(rate, measure, duration, warm, workers, sample);
                Files.writeString(dir.resolve("soak.md"), result.report());
                System.out.println();
                System.out.println(result.report());
                System.out.println("report: " + dir.resolve("soak.md") + ", chart: " + dir.resolve("soak.png"));
                return result.problems().isEmpty() ? 0 : 1;
            }
        }
    }

    @Command(name = "hostile", mixinStandardHelpOptions = true,
            description = "Thousands of hostile requests through the gatekeeper: every one a fast 4xx JSON answer, the database unchanged.")
    static final class Hostile implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--count", defaultValue = "20000", description = "Hostile requests (default ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--seed", defaultValue = "20261125", description = "Seed of the mutations (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--workers", defaultValue = "4", description = "Concurrent senders (default ${DEFAULT-VALUE}).")
        int workers;

        @Option(names = "--max-latency", defaultValue = "2s", description = "The slowest acceptable answer (default ${DEFAULT-VALUE}).")
        Duration maxLatency;

        @Option(names = "--differential", defaultValue = "20000",
                description = "Statements for the differential check against the server's own reading, 0 for none (default ${DEFAULT-VALUE}).")
        int differential;

        @Override
        public Integer call() throws Exception {
            Path dir = common.workDir("hostile");
            LocalCluster cluster = common.cluster();
            require(cluster.allSynced(), "all three nodes Synced before the run (bin/local-cluster status)");
            try (Chain chain = common.chain(cluster, dir)) {
                chain.start();
                System.out.println("tiers ready; logs in " + dir.resolve("logs"));
                DatabaseState before = DatabaseState.capture(cluster);
                long passedOn = chain.tier(Tier.TRUSTED_HOST).requestsLogged();
                List<HostileRequest> corpus = HostileCorpus.generate(seed, count, chain.writerKey(), chain.readerKey());
                HostileRun.Result result = HostileRun.send(corpus, "127.0.0.1", chain.port(Tier.GATEKEEPER), workers, maxLatency);
                DatabaseState after = DatabaseState.capture(cluster);
                List<String> changes = before.differences(after);
                passedOn = chain.tier(Tier.TRUSTED_HOST).requestsLogged() - passedOn;
                StringBuilder report = new StringBuilder(result.report());
                report.append("\nRequests the gatekeeper passed on to the trusted host: ").append(passedOn).append('\n');
                report.append("\nDatabase: ").append(changes.isEmpty() ? "unchanged (" + before.describe() + ")"
                        : "CHANGED:\n- " + String.join("\n- ", changes)).append('\n');
                DifferentialCheck.Result reading = null;
                if (differential > 0) {
                    System.out.println("differential check: " + differential + " statements against node1's own reading");
                    try (java.sql.Connection connection = cluster.connect("node1")) {
                        reading = new DifferentialCheck().run(connection, DifferentialCorpus.generate(seed, differential));
                    }
                    report.append('\n').append(reading.report());
                }
                Files.writeString(dir.resolve("hostile.md"), report);
                System.out.println(report);
                System.out.println("report: " + dir.resolve("hostile.md"));
                boolean agreed = reading == null || reading.findings().isEmpty();
                return result.failures().isEmpty() && changes.isEmpty() && agreed ? 0 : 1;
            }
        }
    }

    @Command(name = "noisy", mixinStandardHelpOptions = true,
            description = "A victim key's point reads alone, then while an attacker key sends the costliest requests it can:"
                    + " the victim keeps its answers and its latency, the attacker gets only refusals that name the cost.")
    static final class Noisy implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--warmup", defaultValue = "10s", description = "The victim alone, not counted (default ${DEFAULT-VALUE}).")
        Duration warmup;

        @Option(names = "--attacks", split = ",", defaultValue = "HUGE_RESULT,SLOW_TO_PARSE,TIME_LIMIT,HALF_SENT",
                description = "The kinds of attack, comma-separated (default ${DEFAULT-VALUE}).")
        List<NoisyNeighbour.Attack> attacks;

        @Option(names = "--baseline", defaultValue = "20s", description = "The victim alone (default ${DEFAULT-VALUE}).")
        Duration baseline;

        @Option(names = "--attack", defaultValue = "40s", description = "The victim under attack (default ${DEFAULT-VALUE}).")
        Duration attack;

        @Option(names = "--victim-clients", defaultValue = "2", description = "The victim's concurrent clients (default ${DEFAULT-VALUE}).")
        int victimClients;

        @Option(names = "--attackers", defaultValue = "3", description = "The attacker's clients of each kind (default ${DEFAULT-VALUE}).")
        int attackers;

        @Option(names = "--p99-factor", defaultValue = "3", description = "The victim's p99 under attack may be this multiple of"
                + " its p99 alone at most (default ${DEFAULT-VALUE}).")
        double p99Factor;

        @Option(names = "--statement-time-per-key", description = "The proxy's proxy.limits.statement-time-per-key"
                + " for the run (default: the shipped 1s)")
        String statementTimePerKey;

        @Option(names = "--statement-time-burst", description = "The proxy's proxy.limits.statement-time-burst for the"
                + " run (default: the shipped 10s)")
        String statementTimeBurst;

        @Option(names = "--rss-limit", defaultValue = "384", description = "Each tier's resident memory limit, MiB: the"
                + " Kubernetes memory limit (default ${DEFAULT-VALUE}).")
        long rssLimitMib;

        @Override
        public Integer call() throws Exception {
            Path dir = common.workDir("noisy");
            LocalCluster cluster = common.cluster();
            require(cluster.allSynced(), "all three nodes Synced before the run (bin/local-cluster status)");
            NoisyNeighbour.seed(cluster);
            Map<String, String> budget = new HashMap<>();
            if (statementTimePerKey != null) {
                budget.put("PROXY_LIMITS_STATEMENT_TIME_PER_KEY", statementTimePerKey);
            }
            if (statementTimeBurst != null) {
                budget.put("PROXY_LIMITS_STATEMENT_TIME_BURST", statementTimeBurst);
            }
            try (Chain chain = common.chain(cluster, dir, budget)) {
                chain.start();
                System.out.println("tiers ready; logs in " + dir.resolve("logs"));
                Map<String, Long> pids = new java.util.TreeMap<>();
                for (Tier tier : Tier.values()) {
                    pids.put(tier.module(), chain.tier(tier).pid());
                }
                NoisyNeighbour.Result result = new NoisyNeighbour(new NoisyNeighbour.Settings("127.0.0.1", chain.port(Tier.GATEKEEPER),
                        chain.readerKey(), chain.writerKey(), victimClients, attackers, attacks, warmup, baseline, attack, Duration.ofSeconds(30),
                        p99Factor, rssLimitMib * 1024)).run(pids);
                Files.writeString(dir.resolve("noisy.md"), result.report());
                Charts.series("noisy neighbour", "seconds from the start", NoisyCharts.panels(result), dir.resolve("noisy.png"));
                System.out.println(result.report());
                System.out.println("report: " + dir.resolve("noisy.md") + ", chart: " + dir.resolve("noisy.png"));
                return result.problems().isEmpty() ? 0 : 1;
            }
        }
    }

    static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("Required: " + what);
        }
    }
}

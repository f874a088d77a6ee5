package io.sqlgate.testkit;

import io.sqlgate.hop.Sha256;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The three tiers in front of the local cluster, each its own process ({@link TierProcess}), wired by ports, with hop
 * secrets and API keys made for this chain alone: a writer key and a reader key, named {@code <name>-writer} and
 * {@code <name>-reader}, and more writer keys when asked ({@code <name>-writer-2}, ...). A tier can be stopped and
 * started again on its port, which the tier before it keeps calling. What a caller needs beyond that (an allow-list,
 * limits, a node behind a relay) is environment it adds, to every tier or to one.
 */
public final class Chain implements AutoCloseable {
    public enum Tier {
        PROXY("proxy"), TRUSTED_HOST("trusted-host"), GATEKEEPER("gatekeeper");

        private final String module;

        Tier(String module) {
            this.module = module;
        }

        public String module() {
            return module;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final LocalCluster cluster;
    private final String name;
    private final Map<Tier, Integer> ports;
    private final Map<String, String> everyTier;
    private final Map<Tier, Map<String, String>> perTier;
    private final List<String> jvmOptions;
    private final Path workDir;
    private final Map<Tier, TierProcess> running = Collections.synchronizedMap(new EnumMap<>(Tier.class));
    private final Thread stopOnExit = new Thread(this::stopAll, "stop-tiers");
    private final String gatekeeperSecret = secret();
    private final String trustedHostSecret = secret();
    private final List<ApiKey> writerKeys;
    private final String readerKey;
    private final String auditorKey;

    /** An API key as the gatekeeper knows it: its name, and the secret a client sends. */
    public record ApiKey(String name, String secret) {
    }

    private Chain(Builder builder) throws IOException {
        this.cluster = builder.cluster;
        this.name = builder.name;
        this.ports = new EnumMap<>(Tier.class);
        for (Tier tier : Tier.values()) {
            Integer port = builder.ports.get(tier);
            ports.put(tier, port != null ? port : TierProcess.freePort());
        }
        this.everyTier = Map.copyOf(builder.everyTier);
        this.perTier = new EnumMap<>(builder.perTier);
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.workDir = builder.workDir;
        List<ApiKey> writers = new ArrayList<>();
        for (int i = 1; i <= builder.writerKeys; i++) {
            String keyName = name + "-writer" + (i == 1 ? "" : "-" + i);
            writers.add(new ApiKey(keyName, keyName + "-" + secret()));
        }
        this.writerKeys = List.copyOf(writers);
        this.readerKey = name + "-reader-" + secret();
        this.auditorKey = name + "-auditor-" + secret();
        if (workDir != null) {
            // A copy of each jar: a build in the same checkout replaces target/*.jar, and a running JVM whose jar is
            // replaced fails to load its next class.
            Files.createDirectories(workDir.resolve("jars"));
            for (Tier tier : Tier.values()) {
                Path built = TierProcess.builtJar(cluster.repository(), tier.module());
                if (!Files.exists(built)) {
                    throw new IllegalStateException(built + " is missing: build the tiers first (mvn -DskipTests package)");
                }
                Files.copy(built, jar(tier), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        // Interrupted (Ctrl-C), a run still stops the tiers it started.
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    public static Builder on(LocalCluster cluster) {
        return new Builder(cluster);
    }

    public static final class Builder {
        private final LocalCluster cluster;
        private String name = "chain";
        private final Map<Tier, Integer> ports = new EnumMap<>(Tier.class);
        private final Map<String, String> everyTier = new LinkedHashMap<>();
        private final Map<Tier, Map<String, String>> perTier = new EnumMap<>(Tier.class);
        private List<String> jvmOptions = TierProcess.DEFAULT_JVM_OPTIONS;
        private Path workDir;
        private int writerKeys = 1;

        private Builder(LocalCluster cluster) {
            this.cluster = cluster;
        }

        /** Names the keys ({@code <name>-writer}, {@code <name>-reader}) and, without a work folder, the log files. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** How many writer keys the gatekeeper knows (one by default): load spread over keys, each with its own limits. */
        public Builder writerKeys(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("at least one writer key");
            }
            this.writerKeys = count;
            return this;
        }

        /** Fixed ports (free ones otherwise). */
        public Builder ports(int gatekeeper, int trustedHost, int proxy) {
            ports.put(Tier.GATEKEEPER, gatekeeper);
            ports.put(Tier.TRUSTED_HOST, trustedHost);
            ports.put(Tier.PROXY, proxy);
            return this;
        }

        /** Environment for every tier (a tier ignores what it does not read), over what the chain sets itself. */
        public Builder environment(Map<String, String> variables) {
            everyTier.putAll(variables);
            return this;
        }

        /** Environment for one tier, over everything else. */
        public Builder environment(Tier tier, Map<String, String> variables) {
            perTier.computeIfAbsent(tier, t -> new LinkedHashMap<>()).putAll(variables);
            return this;
        }

        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = options;
            return this;
        }

        /**
         * Where the tiers run from: their jars copied to {@code <dir>/jars} and their logs in {@code <dir>/logs}. Without
         * it they run from the build's jars and log to {@code target/tier-logs/<name>-<tier>.log}.
         */
        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** The chain, none of its tiers started yet. */
        public Chain build() throws IOException {
            return new Chain(this);
        }

        /** The chain with its three tiers started. */
        public Chain start() throws IOException {
            Chain chain = build();
            try {
                chain.start();
            } catch (IOException | RuntimeException e) {
                chain.close();
                throw e;
            }
            return chain;
        }
    }

    /** Starts the proxy, the trusted host and the gatekeeper, in that order, each once it is ready. */
    public void start() throws IOException {
        for (Tier tier : Tier.values()) {
            start(tier);
        }
    }

    public TierProcess start(Tier tier) throws IOException {
        return start(tier, UnaryOperator.identity());
    }

    /** Starts a tier with something of its own for this start (an option, a variable). */
    public TierProcess start(Tier tier, UnaryOperator<TierProcess.Launch> adjust) throws IOException {
        if (running.containsKey(tier)) {
            throw new IllegalStateException(tier.module() + " is running already");
        }
        TierProcess process = adjust.apply(launch(tier)).start();
        running.put(tier, process);
        return process;
    }

    /** What {@link #start(Tier)} starts, for a caller that runs the tier itself (and stops it). */
    public TierProcess.Launch launch(Tier tier) {
        TierProcess.Launch launch = TierProcess.launch(tier.module()).port(port(tier)).jvmOptions(jvmOptions).environment(environment(tier));
        if (workDir != null) {
            launch.name(tier.module()).jar(jar(tier)).log(workDir.resolve("logs").resolve(tier.module() + ".log"));
        } else {
            launch.name(name + "-" + tier.module());
        }
        return launch;
    }

    /** Everything a tier is started with: what wires it into the chain, then what the builder added. */
    public Map<String, String> environment(Tier tier) {
        Map<String, String> variables = new LinkedHashMap<>();
        switch (tier) {
            case PROXY -> {
                variables.putAll(cluster.proxyEnvironment());
                variables.put("HOP_VERIFY_SECRET", trustedHostSecret);
            }
            case TRUSTED_HOST -> {
                variables.put("HOP_VERIFY_SECRET", gatekeeperSecret);
                variables.put("HOP_SIGN_SECRET", trustedHostSecret);
                variables.put("PROXY_URL", url(Tier.PROXY).toString());
            }
            case GATEKEEPER -> {
                variables.put("HOP_SIGN_SECRET", gatekeeperSecret);
                variables.put("TRUSTED_HOST_URL", url(Tier.TRUSTED_HOST).toString());
                StringBuilder keys = new StringBuilder();
                for (ApiKey writer : writerKeys) {
                    keys.append(writer.name()).append(":writer:").append(Sha256.hex(writer.secret())).append(',');
                }
                keys.append(name).append("-auditor:auditor:").append(Sha256.hex(auditorKey)).append(',');
                variables.put("GATEKEEPER_API_KEYS", keys.append(name).append("-reader:reader:").append(Sha256.hex(readerKey)).toString());
            }
        }
        variables.putAll(everyTier);
        variables.putAll(perTier.getOrDefault(tier, Map.of()));
        return variables;
    }

    /** SIGTERM, as an orchestrator stops a tier; the tier before it sees it gone until it is started again. */
    public void stop(Tier tier) {
        TierProcess process = running.remove(tier);
        if (process != null) {
            process.close();
        }
    }

    /** The tier's running process. */
    public TierProcess tier(Tier tier) {
        TierProcess process = running.get(tier);
        if (process == null) {
            throw new IllegalStateException(tier.module() + " is not running");
        }
        return process;
    }

    public boolean running(Tier tier) {
        return running.containsKey(tier);
    }

    public int port(Tier tier) {
        return ports.get(tier);
    }

    /** Where the tier is, running or not. */
    public URI url(Tier tier) {
        return URI.create("http://127.0.0.1:" + port(tier));
    }

    /** The first writer key's secret. */
    public String writerKey() {
        return writerKeys.get(0).secret();
    }

    /** Every writer key, the first one {@link #writerKey()}'s. */
    public List<ApiKey> writerKeys() {
        return writerKeys;
    }

    public String readerKey() {
        return readerKey;
    }

    /** The secret of the chain's auditor key ({@code <name>-auditor}), which reads the audit ledger. */
    public String auditorKey() {
        return auditorKey;
    }

    /** The secret a tier signs its requests to the next one with: what the next one verifies. */
    public String signingSecret(Tier tier) {
        return switch (tier) {
            case GATEKEEPER -> gatekeeperSecret;
            case TRUSTED_HOST -> trustedHostSecret;
            case PROXY -> throw new IllegalArgumentException("the proxy signs nothing: it calls the database");
        };
    }

    private Path jar(Tier tier) {
        return workDir.resolve("jars").resolve(tier.module() + "-0.1.0.jar");
    }

    private void stopAll() {
        List<Tier> order = new ArrayList<>(List.of(Tier.values()));
        Collections.reverse(order);
        order.forEach(this::stop);
    }

    /** Stops the gatekeeper, the trusted host and the proxy, in that order. */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it stops what is left
        }
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

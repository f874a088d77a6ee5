package io.sqlgate.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The three tiers as processes of their own on fixed loopback ports, the way {@code bin/local-system} runs them
 * (same JVM options), each from a copy of its jar so that a rebuild during a run cannot pull a jar from under
 * a running tier. Secrets and the API keys are made per run. A tier can be stopped, started and restarted on
 * its port, which the tier before it keeps calling.
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

    /** Ports of the three tiers; the extra environment goes to every tier that reads it (unknown keys are ignored). */
    public record Settings(int gatekeeperPort, int trustedHostPort, int proxyPort, Map<String, String> extraEnvironment) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final ClusterEnv cluster;
    private final Settings settings;
    private final Path workDir;
    private final Path jarDir;
    private final Map<Tier, Process> processes = java.util.Collections.synchronizedMap(new EnumMap<>(Tier.class));
    private final String toTrustedHost = secret();
    private final String toProxy = secret();
    private final String writerKey = "writer-" + secret();
    private final String readerKey = "reader-" + secret();

    public Chain(ClusterEnv cluster, Settings settings, Path workDir) throws IOException {
        this.cluster = cluster;
        this.settings = settings;
        this.workDir = workDir;
        this.jarDir = workDir.resolve("jars");
        Files.createDirectories(jarDir);
        Files.createDirectories(workDir.resolve("logs"));
        for (Tier tier : Tier.values()) {
            Path jar = cluster.repository().resolve(tier.module()).resolve("target").resolve(tier.module() + "-0.1.0.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build the tiers first (mvn -DskipTests package)");
            }
            Files.copy(jar, jarDir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        // Interrupted (Ctrl-C), the run still stops the tiers it started.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (processes) {
                processes.values().forEach(Process::destroy);
            }
        }, "stop-tiers"));
    }

    public String writerKey() {
        return writerKey;
    }

    public String readerKey() {
        return readerKey;
    }

    public int port(Tier tier) {
        return switch (tier) {
            case PROXY -> settings.proxyPort();
            case TRUSTED_HOST -> settings.trustedHostPort();
            case GATEKEEPER -> settings.gatekeeperPort();
        };
    }

    public URI url(Tier tier) {
        return URI.create("http://127.0.0.1:" + port(tier));
    }

    public Path log(Tier tier) {
        return workDir.resolve("logs").resolve(tier.module() + ".log");
    }

    public long pid(Tier tier) {
        Process process = processes.get(tier);
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(tier.module() + " is not running");
        }
        return process.pid();
    }

    /** Starts the proxy, the trusted host and the gatekeeper, in that order, each once it is ready. */
    public void startAll() throws IOException {
        for (Tier tier : Tier.values()) {
            start(tier);
        }
    }

    public void start(Tier tier) throws IOException {
        Map<String, String> environment = new HashMap<>(settings.extraEnvironment());
        environment.put("MICRONAUT_SERVER_PORT", Integer.toString(port(tier)));
        switch (tier) {
            case PROXY -> {
                environment.putAll(cluster.proxyEnvironment());
                environment.put("HOP_VERIFY_SECRET", toProxy);
            }
            case TRUSTED_HOST -> {
                environment.put("HOP_VERIFY_SECRET", toTrustedHost);
                environment.put("HOP_SIGN_SECRET", toProxy);
                environment.put("PROXY_URL", url(Tier.PROXY).toString());
            }
            case GATEKEEPER -> {
                environment.put("HOP_SIGN_SECRET", toTrustedHost);
                environment.put("TRUSTED_HOST_URL", url(Tier.TRUSTED_HOST).toString());
                environment.put("GATEKEEPER_API_KEYS", "reliability-writer:writer:" + sha256(writerKey)
                        + ",reliability-reader:reader:" + sha256(readerKey));
            }
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx256m", "-jar", jarDir.resolve(tier.module() + "-0.1.0.jar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(tier).toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        processes.put(tier, process);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!ready(tier)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(tier.module() + " exited with " + process.exitValue() + "; log: " + log(tier));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(tier.module() + " was not ready after " + READY_TIMEOUT.toSeconds() + " s; log: " + log(tier));
            }
            pause(200);
        }
    }

    /** SIGTERM, as an orchestrator stops a tier; SIGKILL if it has not stopped after 20 s. */
    public void stop(Tier tier) {
        Process process = processes.remove(tier);
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    public boolean ready(Tier tier) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(url(tier).resolve("/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The proxy's readiness document: every node with its state. */
    public String proxyHealth() {
        try {
            return HTTP.send(HttpRequest.newBuilder(url(Tier.PROXY).resolve("/health/readiness")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "unreachable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The proxy's Prometheus text. */
    public String proxyMetrics() throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(url(Tier.PROXY).resolve("/prometheus")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** How many requests a tier has logged (its access-log lines) so far. */
    public long requestsLogged(Tier tier) throws IOException {
        if (!Files.exists(log(tier))) {
            return 0;
        }
        try (var lines = Files.lines(log(tier), java.nio.charset.StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.contains("\"message\":\"request\"")).count();
        }
    }

    @Override
    public void close() {
        for (Tier tier : List.of(Tier.GATEKEEPER, Tier.TRUSTED_HOST, Tier.PROXY)) {
            stop(tier);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

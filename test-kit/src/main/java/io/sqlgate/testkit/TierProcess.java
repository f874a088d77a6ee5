package io.sqlgate.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One tier running as its own process from its built jar, as it runs in production; its log goes to a file. */
public final class TierProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private TierProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts {@code <module>/target/<module>-0.1.0.jar} with the given environment and waits until it is ready;
     * its output goes to {@code target/tier-logs/<name>.log} of the module running the test.
     */
    public static TierProcess start(String module, String name, Map<String, String> environment) throws IOException {
        return start(module, name, environment, freePort());
    }

    /** The same on a given port: a tier restarted on its port is found again by the tier that calls it. */
    public static TierProcess start(String module, String name, Map<String, String> environment, int port) throws IOException {
        Path root = LocalCluster.repositoryRoot();
        Path jar = root.resolve(module).resolve("target").resolve(module + "-0.1.0.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the tiers first (mvn package)");
        }
        Path log = Path.of("target", "tier-logs", name + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        TierProcess tier = new TierProcess(name, port, log, builder.start());
        try {
            Eventually.await(Duration.ofSeconds(90), name + " ready on port " + port, tier::ready);
        } catch (AssertionError e) {
            tier.close();
            throw new AssertionError(e.getMessage() + "; log: " + log, e);
        }
        return tier;
    }

    @Override
    public String toString() {
        return name;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Every line the tier has logged so far. */
    public List<String> logLines() throws IOException {
        return Files.readAllLines(log);
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with " + process.exitValue() + "; log: " + log);
        }
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

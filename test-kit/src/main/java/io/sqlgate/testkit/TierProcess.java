package io.sqlgate.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One tier running as its own process from its built jar, as it runs in production: started with an environment
 * on a port, waited for until {@code /health/readiness} answers 200, its JSON log going to a file, stopped with
 * SIGTERM as an orchestrator stops it. Every launcher of a tier (the integration tests, {@link Chain}, the
 * benchmark) goes through {@link #launch}.
 */
public final class TierProcess implements AutoCloseable {
    /** Small and quick to start: what a test needs of a tier. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;
    private volatile long logOffset;
    private Duration readyAfter;

    private TierProcess(String name, int port, Path log, long logOffset, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.logOffset = logOffset;
        this.process = process;
    }

    /**
     * What to start, with the defaults of a test: {@code <module>/target/<module>-0.1.0.jar} of the checkout, on a
     * free port, with {@link #DEFAULT_JVM_OPTIONS}, logging to {@code target/tier-logs/<name>.log} of the module
     * running the test.
     */
    public static Launch launch(String module) {
        return new Launch(module);
    }

    /** What {@link #launch} starts; each setter returns the launch, and {@link #start} starts it. */
    public static final class Launch {
        private final String module;
        private String name;
        private Path jar;
        private int port;
        private final List<String> jvmOptions = new ArrayList<>(DEFAULT_JVM_OPTIONS);
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path log;
        private Duration readyTimeout = Duration.ofSeconds(120);

        private Launch(String module) {
            this.module = module;
            this.name = module;
        }

        /** What the tier is called in its log file's name and in messages. */
        public Launch name(String name) {
            this.name = name;
            return this;
        }

        public Launch jar(Path jar) {
            this.jar = jar;
            return this;
        }

        /** A given port: a tier restarted on its port is found again by the tier that calls it. */
        public Launch port(int port) {
            this.port = port;
            return this;
        }

        /** In place of the defaults. */
        public Launch jvmOptions(List<String> options) {
            jvmOptions.clear();
            jvmOptions.addAll(options);
            return this;
        }

        public Launch jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** Added to what is there already; a name given twice keeps the last value. */
        public Launch environment(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        public Launch environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** The file the tier's output is appended to. */
        public Launch log(Path log) {
            this.log = log;
            return this;
        }

        public Launch readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        /** Starts the tier and returns once it is ready; stops it again and fails, with its last log lines, if it is not. */
        public TierProcess start() throws IOException {
            Path jar = this.jar != null ? this.jar : builtJar(LocalCluster.repositoryRoot(), module);
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build the tiers first (mvn -DskipTests package)");
            }
            int chosen = port > 0 ? port : freePort();
            Path file = (log != null ? log : Path.of("target", "tier-logs", name + ".log")).toAbsolutePath();
            Files.createDirectories(file.getParent());
            long offset = Files.exists(file) ? Files.size(file) : 0;
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-jar");
            command.add(jar.toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(file.toFile()));
            // As bin/local-system and the manifests run the tiers: two malloc arenas rather than one per thread.
            builder.environment().put("MALLOC_ARENA_MAX", "2");
            builder.environment().putAll(environment);
            builder.environment().put("MICRONAUT_SERVER_PORT", Integer.toString(chosen));
            long started = System.nanoTime();
            TierProcess tier = new TierProcess(name, chosen, file, offset, builder.start());
            try {
                // A cheap probe, polled often: the time to ready is one of the benchmark's figures.
                Eventually.within(readyTimeout, name + " ready on port " + chosen).pollInterval(Duration.ofMillis(20))
                        .failFast(name + " exited", () -> !tier.process.isAlive()).until(tier::ready);
            } catch (RuntimeException e) {
                tier.close();
                throw new IllegalStateException(name + " did not become ready on port " + chosen
                        + (tier.process.isAlive() ? "" : " (exit status " + tier.process.exitValue() + ")") + ": " + e.getMessage()
                        + "\nlast lines of " + file + ":\n" + String.join("\n", tier.lastLogLines(30)), e);
            }
            tier.readyAfter = Duration.ofNanos(System.nanoTime() - started);
            return tier;
        }
    }

    /** Where the build leaves a module's jar. */
    public static Path builtJar(Path repository, String module) {
        return repository.resolve(module).resolve("target").resolve(module + "-0.1.0.jar");
    }

    @Override
    public String toString() {
        return name;
    }

    public String name() {
        return name;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** From the start of the process to its first ready answer. */
    public Duration readyAfter() {
        return readyAfter;
    }

    public Path log() {
        return log;
    }

    /** Every line this process has logged so far (not those of an earlier process that wrote to the same file). */
    public List<String> logLines() throws IOException {
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
            long size = channel.size();
            long from = logOffset <= size ? logOffset : 0;
            ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(size - from));
            while (bytes.hasRemaining() && channel.read(bytes, from + bytes.position()) >= 0) {
                // reading
            }
            return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** How many requests it has logged (access-log lines) so far. */
    public long requestsLogged() throws IOException {
        return logLines().stream().filter(line -> line.contains("\"message\":\"request\"")).count();
    }

    /** Empties the log once it is over {@code bytes}, so that a long run does not fill the disk (it is opened to append). */
    public void truncateLogOver(long bytes) {
        try {
            if (Files.size(log) > bytes) {
                try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
                    channel.truncate(0);
                }
                logOffset = 0;
            }
        } catch (IOException ignored) {
            // keep going with a longer log
        }
    }

    /** Resident memory, descriptors and threads now. */
    public ProcessStats.Sample stats() throws IOException {
        return ProcessStats.of(process.pid());
    }

    /** The body of a GET on this tier ({@code /prometheus}, {@code /health/readiness}); anything but 200 is an IOException. */
    public String get(String path) throws IOException {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(name + " answered GET " + path + " with " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private boolean ready() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(url().resolve("/health/readiness")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    private List<String> lastLogLines(int count) {
        try {
            List<String> lines = logLines();
            return lines.subList(Math.max(0, lines.size() - count), lines.size());
        } catch (IOException e) {
            return List.of("(unreadable: " + e.getMessage() + ")");
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** SIGTERM, as an orchestrator stops a tier; SIGKILL if it has not stopped after 20 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
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
}

package io.sqlgate.perf;

import java.io.IOException;
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

/** One tier as a process of its own: started from its jar, waited for, measured, and stopped. */
final class TierProcess implements AutoCloseable {
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;
    private final long startedNanos;
    private double readySeconds = Double.NaN;
    private long maxRssKib;

    private TierProcess(String name, int port, Process process, Path log, long startedNanos) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    static TierProcess start(String name, Path jar, int port, List<String> jvmOptions, Map<String, String> env, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.environment().put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        // As bin/local-system and the manifests run the tiers: two malloc arenas rather than one per thread.
        builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        builder.redirectErrorStream(true);
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long started = System.nanoTime();
        return new TierProcess(name, port, builder.start(), log, started);
    }

    /** Waits for {@code /health/readiness} to answer 200; records the time since the process started. */
    TierProcess awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/readiness"))
                .timeout(Duration.ofMillis(500)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (PROBE.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    readySeconds = (System.nanoTime() - startedNanos) / 1e9;
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IOException(name + " was not ready after " + timeout.toSeconds() + " s; see " + log);
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    double readySeconds() {
        return readySeconds;
    }

    /** Resident memory now, in KiB, from /proc; also kept as the maximum seen. */
    long sampleRss() {
        long rss = procStatus("VmRSS:");
        maxRssKib = Math.max(maxRssKib, rss);
        return rss;
    }

    long maxRssKib() {
        return Math.max(maxRssKib, procStatus("VmHWM:"));
    }

    private long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return 0;
    }

    /** Empties the log between measurements so that a long run does not fill the disk (it is opened to append). */
    void truncateLog() {
        try {
            if (Files.size(log) > 16L * 1024 * 1024) {
                try (var channel = java.nio.channels.FileChannel.open(log, java.nio.file.StandardOpenOption.WRITE)) {
                    channel.truncate(0);
                }
            }
        } catch (IOException ignored) {
            // keep going with a longer log
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}

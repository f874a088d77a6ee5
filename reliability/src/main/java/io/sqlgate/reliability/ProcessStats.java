package io.sqlgate.reliability;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Linux says about a process, and what a Prometheus page says about connection pools. */
public final class ProcessStats {
    private static final Pattern METRIC = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");
    private static final Pattern POOL = Pattern.compile("pool=\"([^\"]*)\"");

    private ProcessStats() {
    }

    /** @param rssKib resident memory ({@code VmRSS}), KiB; @param fds open descriptors; @param threads threads */
    public record Sample(long rssKib, int fds, int threads) {
    }

    public static Sample of(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        long rss = 0;
        int threads = 0;
        for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
            }
        }
        int fds = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path ignored : entries) {
                fds++;
            }
        }
        return new Sample(rss, fds, threads);
    }

    /**
     * The {@code hikaricp_connections*} gauges of a Prometheus page: "node1-app connections" -> 16.0,
     * "node1-app active" -> 2.0, "node1-app pending" -> 0.0, ...
     */
    public static Map<String, Double> pools(String prometheus) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : prometheus.split("\n")) {
            if (!line.startsWith("hikaricp_connections")) {
                continue;
            }
            Matcher metric = METRIC.matcher(line);
            if (!metric.find()) {
                continue;
            }
            Matcher pool = POOL.matcher(metric.group(2) == null ? "" : metric.group(2));
            String name = metric.group(1).replaceFirst("^hikaricp_connections_?", "");
            out.put((pool.find() ? pool.group(1) : "?") + " " + (name.isEmpty() ? "connections" : name),
                    Double.parseDouble(metric.group(3)));
        }
        return out;
    }
}

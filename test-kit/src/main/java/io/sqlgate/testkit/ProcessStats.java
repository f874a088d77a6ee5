package io.sqlgate.testkit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux says about a process ({@code /proc/<pid>}): memory, open descriptors, threads. */
public final class ProcessStats {
    private ProcessStats() {
    }

    /**
     * @param rssKib     resident memory now ({@code VmRSS}), KiB
     * @param peakRssKib the most resident memory it has had ({@code VmHWM}), KiB
     * @param fds        open descriptors
     * @param threads    threads
     */
    public record Sample(long rssKib, long peakRssKib, int fds, int threads) {
    }

    /** @throws IOException when there is no such process (or no /proc) */
    public static Sample of(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        long rss = 0;
        long peak = 0;
        int threads = 0;
        for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
            } else if (line.startsWith("VmHWM:")) {
                peak = Long.parseLong(line.replaceAll("[^0-9]", ""));
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
        return new Sample(rss, peak, fds, threads);
    }
}

package io.sqlgate.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time used by each process of the run (user + system, from /proc/PID/stat), so that each measurement
 * also says how much CPU a request costs in every process: a figure that other load on the machine moves far
 * less than throughput.
 */
final class CpuMeter {
    /** Linux reports CPU times in clock ticks of 1/100 s (USER_HZ). */
    private static final double MICROS_PER_TICK = 10_000;

    /** Process groups by name; a group's pids are looked up at every snapshot (a tier may be restarted). */
    private final Map<String, Supplier<List<Long>>> groups;

    CpuMeter(Map<String, Supplier<List<Long>>> groups) {
        this.groups = groups;
    }

    Map<String, Long> snapshot() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        groups.forEach((name, pids) -> ticks.put(name, pids.get().stream().mapToLong(CpuMeter::ticks).sum()));
        return ticks;
    }

    /** CPU microseconds per request of each group between two snapshots. */
    static Map<String, Double> perRequest(Map<String, Long> before, Map<String, Long> after, long requests) {
        Map<String, Double> out = new LinkedHashMap<>();
        before.forEach((name, ticks) -> out.put(name, requests == 0 ? Double.NaN
                : (after.getOrDefault(name, ticks) - ticks) * MICROS_PER_TICK / requests));
        return out;
    }

    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After "pid (comm) ": state is field 3 of the file, utime 14 and stime 15.
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static List<Long> pidFile(Path file) {
        try {
            return List.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}

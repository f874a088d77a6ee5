package io.sqlgate.sysbench.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What sysbench runs on every target. The defaults are the original comparison's parameters:
 * {@code oltp_read_write}, 10 tables of 10 000 rows, 4 threads, 60 s.
 *
 * @param ignoreErrors sysbench's {@code --mysql-ignore-errors} list, or null for sysbench's own default
 *                     (1213, 1020, 1205: deadlocks and lock waits, which are retried)
 * @param extraOptions further sysbench options passed as given to every step, e.g. {@code --rand-type=uniform}
 */
public record Workload(
        String name,
        int tables,
        int tableSize,
        int threads,
        int timeSeconds,
        int reportIntervalSeconds,
        String ignoreErrors,
        List<String> extraOptions) {

    public static final String DEFAULT_NAME = "oltp_read_write";
    public static final int DEFAULT_TABLES = 10;
    public static final int DEFAULT_TABLE_SIZE = 10_000;
    public static final int DEFAULT_THREADS = 4;
    public static final int DEFAULT_TIME_SECONDS = 60;
    public static final int DEFAULT_REPORT_INTERVAL_SECONDS = 5;

    /** sysbench's oltp_* tests, or a Lua script of that family given by path. */
    private static final Pattern WORKLOAD_NAME = Pattern.compile("([A-Za-z0-9_./-]*/)?oltp_[A-Za-z0-9_]+(\\.lua)?");
    private static final Pattern ERROR_LIST = Pattern.compile("all|[0-9]+(,[0-9]+)*");

    public Workload {
        check(name != null && WORKLOAD_NAME.matcher(name).matches(),
                "workload must be one of sysbench's oltp_* tests (or an oltp_*.lua script path): the checks after "
                        + "prepare rely on their sbtest tables; got '" + name + "'");
        check(tables >= 1, "--tables must be at least 1");
        check(tableSize >= 1, "--table-size must be at least 1");
        check(threads >= 1, "--threads must be at least 1");
        check(timeSeconds >= 1, "--time must be at least 1 second (an unlimited run cannot be compared)");
        check(reportIntervalSeconds >= 0, "--report-interval must be 0 (off) or more seconds");
        check(ignoreErrors == null || ERROR_LIST.matcher(ignoreErrors).matches(),
                "--ignore-errors must be 'all' or a comma-separated list of error numbers");
        extraOptions = extraOptions == null ? List.of() : List.copyOf(extraOptions);
        for (String option : extraOptions) {
            check(option.startsWith("--") && !option.startsWith("--mysql-password"),
                    "extra sysbench option '" + option + "' must start with '--' and must not carry a password");
            check(!option.startsWith("--percentile"),
                    "extra sysbench option '" + option + "': the reports use the 95th percentile, which is fixed");
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The table names the oltp_* workloads create: sbtest1 .. sbtestN. */
    public List<String> tableNames() {
        return java.util.stream.IntStream.rangeClosed(1, tables).mapToObj(i -> "sbtest" + i).toList();
    }

    public String describe() {
        return name + ", " + tables + " tables x " + tableSize + " rows, " + threads + " threads, " + timeSeconds + " s";
    }
}

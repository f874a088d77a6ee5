package io.sqlgate.sysbench;

import io.sqlgate.sysbench.config.Target;
import io.sqlgate.sysbench.config.TargetSpec;
import io.sqlgate.sysbench.config.TargetsFile;
import io.sqlgate.sysbench.config.Workload;
import io.sqlgate.sysbench.db.JdbcTargetDatabase;
import io.sqlgate.sysbench.db.TargetDatabase;
import io.sqlgate.sysbench.report.ComparisonTable;
import io.sqlgate.sysbench.report.ReportWriter;
import io.sqlgate.sysbench.sysbench.ProcessRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Benchmarks each target with sysbench and compares them. Progress goes to stderr; stdout carries only the
 * final Markdown comparison table, so that {@code kubectl logs job/sysbench} ends with it.
 */
@Command(
        name = "sysbench-job",
        mixinStandardHelpOptions = true,
        version = "sysbench-job 0.1.0",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Runs sysbench (prepare, run, cleanup) against each target in turn, checks that the tables really use "
                    + "the target's storage engine (innodb or ndbcluster), and writes report.json, results.csv, "
                    + "intervals.csv, comparison.md and PNG charts to --out. The comparison table is also printed "
                    + "to stdout; progress goes to stderr.",
            "",
            "Targets come from --config and/or --target. A --target is one line:",
            "  NAME=USER@HOST[,HOST...]:PORT[,PORT...][/DATABASE]",
            "      [?engine=innodb|ndbcluster&passwordEnv=VAR]",
            "for example",
            "  --target standalone=sqlgate_bench@127.0.0.1:3310",
            "  --target galera-all=sqlgate_bench@127.0.0.1:3311,3312,3313/sbtest",
            "  --target 'ndb=sqlgate_bench@ndb-sql-0,ndb-sql-1:3306/sbtest?engine=ndbcluster'",
            "Several hosts or ports spread sysbench's connections round-robin over every host:port pair. The "
                    + "database defaults to sbtest, the engine to innodb, the password variable to "
                    + TargetSpec.DEFAULT_PASSWORD_ENV + ".",
            ""
        },
        footer = {
            "",
            "Exit status: 0 every target completed; 1 a step failed (sysbench's message is shown); "
                    + "2 invalid options or targets."
        })
public final class SysbenchJob implements Callable<Integer> {

    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML file with a 'targets' list (name, hosts, port or ports, user, passwordEnv, database, "
                    + "engine).")
    private Path config;

    @Option(names = {"-t", "--target"}, paramLabel = "SPEC",
            description = "A target given inline (format above); repeatable, benchmarked after the file's targets.")
    private List<String> targetSpecs = new ArrayList<>();

    @Option(names = "--workload", paramLabel = "NAME", defaultValue = Workload.DEFAULT_NAME,
            description = "One of sysbench's oltp_* tests, e.g. oltp_read_only, or an oltp_*.lua script path "
                    + "(default: ${DEFAULT-VALUE}).")
    private String workload;

    @Option(names = "--tables", paramLabel = "N", defaultValue = "" + Workload.DEFAULT_TABLES,
            description = "Number of tables (default: ${DEFAULT-VALUE}).")
    private int tables;

    @Option(names = "--table-size", paramLabel = "ROWS", defaultValue = "" + Workload.DEFAULT_TABLE_SIZE,
            description = "Rows per table (default: ${DEFAULT-VALUE}).")
    private int tableSize;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "" + Workload.DEFAULT_THREADS,
            description = "Client threads (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--time", paramLabel = "SECONDS", defaultValue = "" + Workload.DEFAULT_TIME_SECONDS,
            description = "Run time per target (default: ${DEFAULT-VALUE}).")
    private int time;

    @Option(names = "--report-interval", paramLabel = "SECONDS",
            defaultValue = "" + Workload.DEFAULT_REPORT_INTERVAL_SECONDS,
            description = "Interval between sysbench's progress reports, which also make the throughput-over-time "
                    + "chart; 0 turns them off (default: ${DEFAULT-VALUE}).")
    private int reportInterval;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "/tmp/sysbench-report",
            description = "Report directory (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--sysbench", paramLabel = "PATH", defaultValue = "sysbench",
            description = "The sysbench executable (default: ${DEFAULT-VALUE} on PATH).")
    private String sysbench;

    @Option(names = "--ignore-errors", paramLabel = "LIST",
            description = "sysbench's --mysql-ignore-errors: 'all' or error numbers; default: sysbench's own "
                    + "(1213,1020,1205: deadlocks and lock-wait timeouts are retried).")
    private String ignoreErrors;

    @Option(names = "--sysbench-option", paramLabel = "--OPTION=VALUE",
            description = "A further option passed to every sysbench step, e.g. --sysbench-option=--rand-type=uniform; "
                    + "repeatable.")
    private List<String> sysbenchOptions = new ArrayList<>();

    @Option(names = "--wait-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for each target to accept connections (default: ${DEFAULT-VALUE}).")
    private int waitTimeout;

    @Option(names = "--prepare-timeout", paramLabel = "SECONDS", defaultValue = "900",
            description = "Time limit of the prepare step (default: ${DEFAULT-VALUE}).")
    private int prepareTimeout;

    @Option(names = "--run-timeout-margin", paramLabel = "SECONDS", defaultValue = "120",
            description = "The run step may take --time plus this (default: ${DEFAULT-VALUE}).")
    private int runTimeoutMargin;

    @Option(names = "--cleanup-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Time limit of each cleanup step (default: ${DEFAULT-VALUE}).")
    private int cleanupTimeout;

    private final Function<String, String> environment;
    private final TargetDatabase database;
    private BenchmarkReport lastReport;

    public SysbenchJob() {
        this(System::getenv, new JdbcTargetDatabase());
    }

    SysbenchJob(Function<String, String> environment, TargetDatabase database) {
        this.environment = environment;
        this.database = database;
    }

    public static void main(String[] args) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        // later options win, so that a wrapper's defaults can be overridden by its caller's options
        System.exit(new CommandLine(new SysbenchJob()).setOverwrittenOptionsAllowed(true).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        Workload work;
        List<Target> targets;
        Timeouts timeouts;
        try {
            work = new Workload(workload, tables, tableSize, threads, time, reportInterval, ignoreErrors,
                    sysbenchOptions);
            targets = targets();
            checkPasswords(targets);
            timeouts = new Timeouts(Duration.ofSeconds(waitTimeout), Duration.ofSeconds(prepareTimeout),
                    Duration.ofSeconds(runTimeoutMargin), Duration.ofSeconds(cleanupTimeout));
        } catch (IllegalArgumentException e) {
            err.println("sysbench-job: " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
        }
        BenchmarkRunner runner = new BenchmarkRunner(sysbench, work, database, new ProcessRunner(), environment,
                timeouts, out.resolve("logs"), line -> {
                    err.println("[sysbench-job] " + line);
                    err.flush();
                });
        BenchmarkReport report = runner.run(targets);
        lastReport = report;
        try {
            new ReportWriter().write(report, out, warning -> err.println("[sysbench-job] warning: " + warning));
            err.println("[sysbench-job] report written to " + out.toAbsolutePath());
        } catch (IOException e) {
            err.println("[sysbench-job] cannot write the report to " + out + ": " + e.getMessage());
            err.flush();
            printTable(stdout, report);
            return EXIT_FAILED;
        }
        err.flush();
        printTable(stdout, report);
        if (!report.succeeded()) {
            err.println("sysbench-job: " + report.failure().describe());
            err.flush();
            return EXIT_FAILED;
        }
        return 0;
    }

    private static void printTable(PrintWriter stdout, BenchmarkReport report) {
        stdout.println();
        stdout.print(ComparisonTable.markdown(report));
        stdout.flush();
    }

    /** The report of the last call, for callers that run the command in-process. */
    BenchmarkReport lastReport() {
        return lastReport;
    }

    private List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        if (config != null) {
            targets.addAll(TargetsFile.read(config));
        }
        for (String targetSpec : targetSpecs) {
            targets.add(TargetSpec.parse(targetSpec));
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no targets: give --config FILE or --target " + TargetSpec.FORMAT);
        }
        Set<String> names = new HashSet<>();
        for (Target target : targets) {
            if (!names.add(target.name())) {
                throw new IllegalArgumentException("two targets are named '" + target.name() + "'");
            }
        }
        return targets;
    }

    /** Fails before anything runs when a password variable is missing, rather than after the first target. */
    private void checkPasswords(List<Target> targets) {
        for (Target target : targets) {
            if (environment.apply(target.passwordEnv()) == null) {
                throw new IllegalArgumentException("target '" + target.name() + "': environment variable "
                        + target.passwordEnv() + " (passwordEnv) is not set");
            }
        }
    }
}

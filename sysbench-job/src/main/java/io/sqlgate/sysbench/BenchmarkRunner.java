package io.sqlgate.sysbench;

import io.sqlgate.sysbench.config.Target;
import io.sqlgate.sysbench.config.Workload;
import io.sqlgate.sysbench.db.EngineCheck;
import io.sqlgate.sysbench.db.RowCheck;
import io.sqlgate.sysbench.db.TargetDatabase;
import io.sqlgate.sysbench.db.TargetNotReadyException;
import io.sqlgate.sysbench.sysbench.ProcessRunner;
import io.sqlgate.sysbench.sysbench.Step;
import io.sqlgate.sysbench.sysbench.SysbenchCommand;
import io.sqlgate.sysbench.sysbench.SysbenchOutputException;
import io.sqlgate.sysbench.sysbench.SysbenchOutputParser;
import io.sqlgate.sysbench.sysbench.SysbenchResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Benchmarks each target in turn: wait until it answers, drop any tables an interrupted earlier run left,
 * prepare, check the table engines, run, and clean up (also after a failed step). The first failure stops
 * the benchmark; the report then holds the targets completed so far and the failure.
 */
public final class BenchmarkRunner {

    private static final int MESSAGE_TAIL_LINES = 8;

    private final String sysbench;
    private final Workload workload;
    private final TargetDatabase database;
    private final ProcessRunner processes;
    private final Function<String, String> environment;
    private final Timeouts timeouts;
    private final Path logDirectory;
    private final Consumer<String> progress;
    private String sysbenchVersion = "unknown";

    /**
     * @param environment  where passwords are looked up (by each target's {@code passwordEnv})
     * @param logDirectory where each step's full sysbench output is kept
     * @param progress     receives human-readable progress lines, sysbench's interval reports included
     */
    public BenchmarkRunner(String sysbench, Workload workload, TargetDatabase database, ProcessRunner processes,
                           Function<String, String> environment, Timeouts timeouts, Path logDirectory,
                           Consumer<String> progress) {
        this.sysbench = sysbench;
        this.workload = workload;
        this.database = database;
        this.processes = processes;
        this.environment = environment;
        this.timeouts = timeouts;
        this.logDirectory = logDirectory;
        this.progress = progress;
    }

    public BenchmarkReport run(List<Target> targets) {
        Instant started = Instant.now();
        List<TargetResult> results = new ArrayList<>();
        StepFailure failure = null;
        for (Target target : targets) {
            try {
                results.add(benchmark(target));
            } catch (StepFailedException e) {
                failure = e.failure;
                progress.accept("FAILED " + failure.describe());
                break;
            }
        }
        return new BenchmarkReport(workload, sysbenchVersion, Runtime.getRuntime().availableProcessors(), started,
                Instant.now(), results, failure);
    }

    private TargetResult benchmark(Target target) {
        progress.accept(target.name() + ": " + target.describe() + "; " + workload.describe());
        String password = environment.apply(target.passwordEnv());
        if (password == null) {
            throw new StepFailedException(new StepFailure(target.name(), "configuration", null,
                    "environment variable " + target.passwordEnv() + " (passwordEnv) is not set"));
        }
        Map<String, Double> stepSeconds = new LinkedHashMap<>();
        long waitStarted = System.nanoTime();
        try {
            database.awaitReady(target, password, timeouts.ready(), line -> progress.accept(target.name() + ": " + line));
        } catch (TargetNotReadyException e) {
            throw new StepFailedException(new StepFailure(target.name(), "wait for the target", null, e.getMessage()));
        }
        stepSeconds.put("wait", seconds(System.nanoTime() - waitStarted));
        progress.accept(target.name() + ": every server answers");

        Path optionsFile = null;
        try {
            Optional<String> optionsLine = SysbenchCommand.optionsFileLine(password);
            if (optionsLine.isPresent()) {
                optionsFile = privateFile(optionsLine.get());
            } else {
                progress.accept(target.name() + ": warning: the password cannot go into a sysbench options file; "
                        + "it is passed on the command line");
            }
            SysbenchCommand command = new SysbenchCommand(sysbench, workload, target, optionsFile,
                    optionsLine.isPresent() ? null : password);
            return prepareRunCleanup(target, password, command, stepSeconds);
        } catch (IOException e) {
            throw new StepFailedException(new StepFailure(target.name(), "writing the sysbench options file", null,
                    e.getMessage()));
        } finally {
            deleteQuietly(optionsFile);
        }
    }

    private TargetResult prepareRunCleanup(Target target, String password, SysbenchCommand command,
                                           Map<String, Double> stepSeconds) {
        // A run interrupted earlier (a killed Job, a timeout) leaves its tables behind and prepare would fail.
        sysbench(target, command, Step.CLEANUP, "cleanup-before", timeouts.cleanup(), stepSeconds);
        SysbenchResult result;
        EngineCheck check;
        RowCheck rows;
        double loadAverage;
        try {
            sysbench(target, command, Step.PREPARE, "prepare", timeouts.prepare(), stepSeconds);
            check = checkEngines(target, password);
            if (!check.verified()) {
                throw new StepFailedException(new StepFailure(target.name(), "engine check", null,
                        String.join("; ", check.problems())));
            }
            rows = checkRows(target, password);
            if (!rows.verified()) {
                throw new StepFailedException(new StepFailure(target.name(), "row check", null,
                        String.join("; ", rows.problems())));
            }
            progress.accept(target.name() + ": " + workload.tables() + " tables verified: ENGINE="
                    + target.engine().sqlName() + " on " + target.endpoints().size() + " server(s), ids 1.."
                    + workload.tableSize());
            loadAverage = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            ProcessRunner.Result run = sysbench(target, command, Step.RUN, "run",
                    timeouts.run(workload.timeSeconds()), stepSeconds);
            try {
                result = SysbenchOutputParser.parseRun(run.output());
            } catch (SysbenchOutputException e) {
                throw new StepFailedException(new StepFailure(target.name(), "run", run.exitCode(), e.getMessage()));
            }
        } catch (StepFailedException e) {
            try {
                sysbench(target, command, Step.CLEANUP, "cleanup", timeouts.cleanup(), stepSeconds);
            } catch (StepFailedException cleanupFailure) {
                progress.accept("also: " + cleanupFailure.failure.describe());
            }
            throw e;
        }
        sysbench(target, command, Step.CLEANUP, "cleanup", timeouts.cleanup(), stepSeconds);
        progress.accept(String.format(Locale.ROOT, "%s: %.2f tps, %.2f qps, latency avg %.2f ms, p95 %.2f ms",
                target.name(), result.tps(), result.qps(), result.latency().avgMs(), result.latency().p95Ms()));
        return TargetResult.of(target, check, rows, result, stepSeconds, loadAverage);
    }

    private EngineCheck checkEngines(Target target, String password) {
        try {
            return EngineCheck.of(target.engine(), workload.tableNames(),
                    database.tableEngines(target, password, workload.tableNames()));
        } catch (RuntimeException e) {
            throw new StepFailedException(new StepFailure(target.name(), "engine check", null, e.getMessage()));
        }
    }

    private RowCheck checkRows(Target target, String password) {
        try {
            return RowCheck.of(workload.tableSize(), workload.tableNames(),
                    database.tableRows(target, password, workload.tableNames()));
        } catch (RuntimeException e) {
            throw new StepFailedException(new StepFailure(target.name(), "row check", null, e.getMessage()));
        }
    }

    private ProcessRunner.Result sysbench(Target target, SysbenchCommand command, Step step, String label,
                                          Duration timeout, Map<String, Double> stepSeconds) {
        List<String> arguments = command.forStep(step);
        if (step != Step.CLEANUP) {
            progress.accept(target.name() + ": " + label + ": " + SysbenchCommand.printable(arguments));
        }
        ProcessRunner.Result result;
        try {
            result = processes.run(arguments, timeout, line -> relay(target, label, line));
        } catch (IOException e) {
            throw new StepFailedException(new StepFailure(target.name(), label, null,
                    "cannot start " + sysbench + ": " + e.getMessage()));
        }
        stepSeconds.put(label, seconds(result.elapsed().toNanos()));
        SysbenchOutputParser.parseVersion(result.output()).ifPresent(version -> sysbenchVersion = version);
        keepLog(target, label, result.output());
        if (result.timedOut()) {
            throw new StepFailedException(new StepFailure(target.name(), label, result.exitCode(),
                    "timed out after " + timeout.toSeconds() + " s; " + sysbenchMessage(result)));
        }
        // sysbench 1.0.20 exits 0 when a thread of a parallel prepare fails: its FATAL lines count too
        if (result.exitCode() != 0 || hasFatalLine(result.output())) {
            throw new StepFailedException(new StepFailure(target.name(), label, result.exitCode(),
                    sysbenchMessage(result)));
        }
        progress.accept(String.format(Locale.ROOT, "%s: %s done in %.1f s", target.name(), label,
                stepSeconds.get(label)));
        return result;
    }

    /** Interval reports and sysbench's errors are shown as they come; the rest goes to the step's log file. */
    private void relay(Target target, String label, String line) {
        if (SysbenchOutputParser.parseInterval(line).isPresent() || line.startsWith("FATAL")
                || line.startsWith("ERROR") || line.startsWith("WARNING")) {
            progress.accept(target.name() + ": " + label + " " + line);
        }
    }

    private static boolean hasFatalLine(String output) {
        return output.lines().anyMatch(line -> line.startsWith("FATAL"));
    }

    /** sysbench's own error lines; failing those, the end of its output. */
    static String sysbenchMessage(ProcessRunner.Result result) {
        List<String> lines = result.output().lines().filter(line -> !line.isBlank()).toList();
        List<String> errors = lines.stream().filter(line -> line.startsWith("FATAL") || line.startsWith("ERROR")).toList();
        List<String> chosen = errors.isEmpty()
                ? lines.subList(Math.max(0, lines.size() - MESSAGE_TAIL_LINES), lines.size())
                : errors;
        String text = String.join("\n", chosen);
        if (result.exitCode() > 128 && !result.timedOut()) {
            text = "sysbench died of signal " + (result.exitCode() - 128)
                    + (result.exitCode() == 139 ? " (segmentation fault)" : "") + (text.isEmpty() ? "" : "; " + text);
        }
        return text.isEmpty() ? "sysbench printed nothing" : text;
    }

    private void keepLog(Target target, String label, String output) {
        try {
            Files.createDirectories(logDirectory);
            Files.writeString(logDirectory.resolve(target.name() + "-" + label + ".log"), output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            progress.accept(target.name() + ": warning: cannot keep the " + label + " log: " + e.getMessage());
        }
    }

    private static Path privateFile(String content) throws IOException {
        Path file = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? Files.createTempFile("sysbench-options-", ".cfg",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile("sysbench-options-", ".cfg");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file in a temporary directory
            }
        }
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e7) / 100.0;
    }

    /** Carries a failure out of the per-target steps. */
    static final class StepFailedException extends RuntimeException {
        private final StepFailure failure;

        StepFailedException(StepFailure failure) {
            super(failure.describe());
            this.failure = failure;
        }
    }
}

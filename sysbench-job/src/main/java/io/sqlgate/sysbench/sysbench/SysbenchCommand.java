package io.sqlgate.sysbench.sysbench;

import io.sqlgate.sysbench.config.Target;
import io.sqlgate.sysbench.config.Workload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds the sysbench command lines for one target.
 *
 * <p>The password goes into a sysbench options file ({@code --config-file}) rather than onto the command
 * line, where any process listing would show it. The storage engine is always passed explicitly: sysbench
 * creates InnoDB tables unless told {@code --mysql-storage-engine=ndbcluster}. The oltp workloads get
 * {@code --auto_inc=off}, so that every target holds ids 1..table-size, the ids the workload addresses.
 */
public final class SysbenchCommand {

    private static final String PASSWORD_OPTION = "--mysql-password=";

    private final String executable;
    private final Workload workload;
    private final Target target;
    private final Path optionsFile;
    private final String passwordArgument;

    /**
     * @param optionsFile      a file holding {@code mysql-password=...}, or null
     * @param passwordArgument the password to pass on the command line when it cannot go into an options file
     *                         (see {@link #optionsFileLine}), or null
     */
    public SysbenchCommand(String executable, Workload workload, Target target, Path optionsFile,
                           String passwordArgument) {
        this.executable = executable;
        this.workload = workload;
        this.target = target;
        this.optionsFile = optionsFile;
        this.passwordArgument = passwordArgument;
    }

    public List<String> forStep(Step step) {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.add(workload.name());
        if (optionsFile != null) {
            command.add("--config-file=" + optionsFile);
        }
        command.add("--db-driver=mysql");
        command.add("--mysql-host=" + String.join(",", target.hosts()));
        command.add("--mysql-port=" + target.ports().stream().map(String::valueOf).collect(Collectors.joining(",")));
        command.add("--mysql-user=" + target.user());
        if (passwordArgument != null) {
            command.add(PASSWORD_OPTION + passwordArgument);
        }
        command.add("--mysql-db=" + target.database());
        command.add("--mysql-storage-engine=" + target.engine().sqlName());
        if (workload.extraOptions().stream()
                .noneMatch(option -> option.startsWith("--auto_inc") || option.startsWith("--auto-inc"))) {
            // ids 1..table-size on every target: clusters step auto-increment values (see RowCheck)
            command.add("--auto_inc=off");
        }
        command.add("--tables=" + workload.tables());
        command.add("--table-size=" + workload.tableSize());
        // prepare loads tables in parallel with as many threads (at most one per table)
        command.add("--threads=" + (step == Step.PREPARE ? Math.min(workload.threads(), workload.tables())
                : workload.threads()));
        if (step == Step.RUN) {
            command.add("--time=" + workload.timeSeconds());
            command.add("--events=0");
            command.add("--report-interval=" + workload.reportIntervalSeconds());
            command.add("--percentile=95");
        }
        if (workload.ignoreErrors() != null) {
            command.add("--mysql-ignore-errors=" + workload.ignoreErrors());
        }
        command.addAll(workload.extraOptions());
        command.add(step.command());
        return command;
    }

    /** The command as it may be logged: a password on the command line is masked. */
    public static String printable(List<String> command) {
        return command.stream()
                .map(arg -> arg.startsWith(PASSWORD_OPTION) ? PASSWORD_OPTION + "***" : arg)
                .collect(Collectors.joining(" "));
    }

    /**
     * The options-file line carrying the password, or empty when sysbench's options-file syntax cannot hold
     * it: values are quoted with ' or " without escapes, and a line ends the value.
     */
    public static Optional<String> optionsFileLine(String password) {
        // sysbench reads options files in lines of at most 1 KiB
        if (password.length() > 900 || password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0) {
            return Optional.empty();
        }
        if (password.indexOf('"') < 0) {
            return Optional.of("mysql-password=\"" + password + "\"\n");
        }
        if (password.indexOf('\'') < 0) {
            return Optional.of("mysql-password='" + password + "'\n");
        }
        return Optional.empty();
    }
}

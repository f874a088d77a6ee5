package io.sqlgate.sysbench;

import io.sqlgate.sysbench.sysbench.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A shell script standing in for sysbench: it records each call (step, arguments, the options file it was
 * given and that file's contents) and runs the shell snippet configured for the step.
 */
final class FakeSysbench {

    private final Path executable;
    private final Path calls;
    private final Path arguments;
    private final Path optionsFiles;
    private final Path optionsContents;

    FakeSysbench(Path dir, Map<Step, String> behaviour) throws IOException {
        executable = dir.resolve("fake-sysbench");
        calls = dir.resolve("calls");
        arguments = dir.resolve("arguments");
        optionsFiles = dir.resolve("options-files");
        optionsContents = dir.resolve("options-contents");
        for (Path file : List.of(calls, arguments, optionsFiles, optionsContents)) {
            Files.writeString(file, "");
        }
        String script = """
                #!/bin/sh
                step=""
                for arg in "$@"; do
                  step=$arg
                  echo "$arg" >> '%s'
                  case $arg in
                    --config-file=*) echo "${arg#--config-file=}" >> '%s'; cat "${arg#--config-file=}" >> '%s' ;;
                  esac
                done
                echo "$step" >> '%s'
                case $step in
                  prepare) %s ;;
                  run) %s ;;
                  cleanup) %s ;;
                esac
                """.formatted(arguments, optionsFiles, optionsContents, calls,
                behaviour.getOrDefault(Step.PREPARE, "echo \"Creating table 'sbtest1'...\""),
                behaviour.getOrDefault(Step.RUN, "echo 'no run configured'; exit 1"),
                behaviour.getOrDefault(Step.CLEANUP, "echo \"Dropping table 'sbtest1'...\""));
        Files.writeString(executable, script);
        Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwx------"));
    }

    Path executable() {
        return executable;
    }

    List<String> steps() throws IOException {
        return Files.readAllLines(calls);
    }

    List<String> arguments() throws IOException {
        return Files.readAllLines(arguments);
    }

    List<String> optionsFiles() throws IOException {
        return Files.readAllLines(optionsFiles);
    }

    List<String> optionsFileContents() throws IOException {
        return Files.readAllLines(optionsContents);
    }
}

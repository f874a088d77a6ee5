package io.sqlgate.sysbench.sysbench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a subprocess with a hard timeout, handing each output line (stdout and stderr merged, in order) to a
 * listener as it arrives and keeping the whole output for parsing.
 */
public final class ProcessRunner {

    /** How long a process gets to exit after SIGTERM before it is killed. */
    private static final Duration TERMINATION_GRACE = Duration.ofSeconds(5);

    public Result run(List<String> command, Duration timeout, Consumer<String> lineListener) throws IOException {
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // a runner stopped by a signal (Ctrl-C, a Job's deadline) takes its sysbench with it
        Thread stopChild = new Thread(process::destroy, "stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(stopChild);
        process.getOutputStream().close();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> pump(process, output, lineListener), "output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        boolean timedOut = false;
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                process.destroy();
                if (!process.waitFor(TERMINATION_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
            reader.join(TERMINATION_GRACE.toMillis());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command.get(0), e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopChild);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: nothing to undo
            }
        }
        String text;
        synchronized (output) {
            text = output.toString();
        }
        return new Result(process.exitValue(), text, timedOut, Duration.ofNanos(System.nanoTime() - started));
    }

    private static void pump(Process process, StringBuilder output, Consumer<String> lineListener) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (output) {
                    output.append(line).append('\n');
                }
                lineListener.accept(line);
            }
        } catch (IOException e) {
            // The stream closes when the process is killed: the output so far is kept.
        }
    }

    /**
     * @param exitCode 128 + the signal number when the process died of a signal (139 for a segmentation fault)
     */
    public record Result(int exitCode, String output, boolean timedOut, Duration elapsed) {
        public boolean succeeded() {
            return exitCode == 0 && !timedOut;
        }
    }
}

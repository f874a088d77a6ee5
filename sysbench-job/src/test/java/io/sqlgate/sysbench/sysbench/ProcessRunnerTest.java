package io.sqlgate.sysbench.sysbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ProcessRunnerTest {

    private final ProcessRunner runner = new ProcessRunner();

    @Test
    void handsOverEveryLineAndKeepsTheOutputAndExitCode() throws IOException {
        List<String> seen = new CopyOnWriteArrayList<>();
        ProcessRunner.Result result = runner.run(List.of("sh", "-c", "echo one; echo two >&2; echo three; exit 3"),
                Duration.ofSeconds(30), seen::add);

        assertEquals(3, result.exitCode());
        assertFalse(result.timedOut());
        assertFalse(result.succeeded());
        assertEquals(List.of("one", "two", "three"), seen);
        assertEquals("one\ntwo\nthree\n", result.output());
    }

    @Test
    void stopsAProcessThatOverrunsItsTimeout() throws IOException {
        ProcessRunner.Result result = runner.run(List.of("sh", "-c", "echo started; exec sleep 60"),
                Duration.ofMillis(500), line -> { });

        assertTrue(result.timedOut());
        assertFalse(result.succeeded());
        assertEquals("started\n", result.output());
        assertTrue(result.elapsed().compareTo(Duration.ofSeconds(30)) < 0, result.elapsed().toString());
    }

    @Test
    void reportsDeathBySignalAs128PlusTheSignal() throws IOException {
        ProcessRunner.Result result = runner.run(List.of("sh", "-c", "kill -SEGV $$"), Duration.ofSeconds(30),
                line -> { });
        assertEquals(139, result.exitCode());
    }

    @Test
    void failsToStartAMissingExecutable() {
        assertThrows(IOException.class, () -> runner.run(List.of("/nonexistent/sysbench", "run"),
                Duration.ofSeconds(5), line -> { }));
    }
}

package io.sqlgate.sysbench;

/**
 * Why a target's benchmark stopped.
 *
 * @param exitCode sysbench's exit code, or null when the step was not a sysbench command
 * @param message  sysbench's own error lines (its FATAL lines), or the cause in words
 */
public record StepFailure(String target, String step, Integer exitCode, String message) {

    public String describe() {
        return target + ": " + step + " failed" + (exitCode == null ? "" : " (exit code " + exitCode + ")") + ": "
                + message;
    }
}

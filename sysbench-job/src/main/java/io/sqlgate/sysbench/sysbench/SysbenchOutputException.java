package io.sqlgate.sysbench.sysbench;

/** sysbench's output lacks what a finished run prints. */
public class SysbenchOutputException extends RuntimeException {
    public SysbenchOutputException(String message) {
        super(message);
    }
}

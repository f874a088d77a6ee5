package io.sqlgate.sysbench.config;

/** One SQL server address of a target. */
public record Endpoint(String host, int port) {
    @Override
    public String toString() {
        return host + ":" + port;
    }
}

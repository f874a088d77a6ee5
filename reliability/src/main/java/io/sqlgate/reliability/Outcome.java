package io.sqlgate.reliability;

/**
 * One request of the load and what came of it.
 *
 * @param seq        order in which the request was sent
 * @param op         what was asked
 * @param value      for a write, the unique value it inserts; for a read, the value it expects to read back
 * @param startMs    when it was sent, in ms since the load started
 * @param latencyMs  how long the answer took (or the failure)
 * @param status     the HTTP status; 0 when no answer came (refused, reset, timed out)
 * @param code       the error code of a refusal, or the kind of failure when no answer came
 * @param servedBy   the node that served it ({@code X-Served-By}), when answered
 * @param fallback   a read served by the writer because no reader was healthy
 * @param consistent for a read answered 200: whether it returned the value it expected; always true otherwise
 * @param message    for a refusal, its error text (shortened); for no answer, the failure; null otherwise
 */
public record Outcome(long seq, Op op, String value, double startMs, double latencyMs, int status, String code,
                      String servedBy, boolean fallback, boolean consistent, String message) {

    public double endMs() {
        return startMs + latencyMs;
    }

    public boolean ok() {
        return status == 200;
    }

    public boolean answered() {
        return status != 0;
    }

    /** "200", "503 NODE_UNAVAILABLE", "no answer (refused)". */
    public String label() {
        if (status == 0) {
            return "no answer (" + code + ")";
        }
        return code == null ? Integer.toString(status) : status + " " + code;
    }

    /** The requests the load sends: writes with unique values, and reads by every route and strategy. */
    public enum Op {
        WRITE_QUERY("/query", true, null),
        WRITE_POPULATE("/populate_tables", true, null),
        FETCH_DIRECT("/fetch_direct", false, "direct"),
        FETCH_RANDOM("/fetch_random", false, "random"),
        FETCH_CUSTOMIZED("/fetch_customized", false, "customized"),
        QUERY_DIRECT("/query", false, "direct"),
        QUERY_RANDOM("/query", false, "random"),
        QUERY_CUSTOMIZED("/query", false, "customized");

        private final String route;
        private final boolean write;
        private final String strategy;

        Op(String route, boolean write, String strategy) {
            this.route = route;
            this.write = write;
            this.strategy = strategy;
        }

        public String route() {
            return route;
        }

        public boolean write() {
            return write;
        }

        public String strategy() {
            return strategy;
        }
    }
}

package io.sqlgate.client;

/**
 * One answer of the gatekeeper, as the client saw it.
 *
 * @param route     the route called, e.g. {@code /fetch_random}
 * @param servedBy  the node named in {@code X-Served-By}, or null
 * @param latencyNanos time from sending the request to the whole answer
 */
public record Answer(String route, int status, String body, String servedBy, String requestId, long latencyNanos) {
}

package io.sqlgate.http;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.sqlgate.hop.wire.HopHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.Arrays;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Gives every request its id and writes one JSON log line per request: requestId, method, path, status,
 * latency, and, where the tier knows them, node, strategy and key name (each tier's logback configuration
 * adds its name as {@code tier}).
 * Health and metrics scrapes are logged at DEBUG so that probes do not drown the requests. Every request is
 * also counted in {@link RequestMetrics}.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class AccessLogFilter implements Ordered {
    /** Set by the gatekeeper's authentication: the name of the key that made the request. */
    public static final String KEY_NAME_ATTRIBUTE = "sqlgate.keyName";
    /** First of all filters: every request, refused or not, has its id and its log line. */
    public static final int ORDER = HIGHEST_PRECEDENCE;
    private static final String START_ATTRIBUTE = "sqlgate.startNanos";
    private static final Logger LOG = LoggerFactory.getLogger("access");
    private final RequestMetrics metrics;

    public AccessLogFilter(RequestMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @RequestFilter
    public void onRequest(HttpRequest<?> request) {
        request.setAttribute(START_ATTRIBUTE, System.nanoTime());
        String incoming = request.getHeaders().get(HopHeaders.REQUEST_ID);
        request.setAttribute(RequestIds.ATTRIBUTE, RequestIds.isWellFormed(incoming) ? incoming : RequestIds.next());
    }

    @ResponseFilter
    public void onResponse(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String requestId = RequestIds.of(request);
        response.getHeaders().set(HopHeaders.REQUEST_ID, requestId);
        String path = request.getPath();
        Object started = request.getAttribute(START_ATTRIBUTE).orElse(null);
        long latencyNanos = started instanceof Long nanos ? System.nanoTime() - nanos : 0L;
        metrics.record(path, response.code(), latencyNanos);
        boolean scrape = path.startsWith("/health") || path.startsWith("/prometheus");
        if (scrape ? !LOG.isDebugEnabled() : !LOG.isInfoEnabled()) {
            return;
        }
        // The fields as one array of key-value arguments, in log order; absent ones are left out.
        Object[] fields = new Object[9];
        int n = 0;
        fields[n++] = kv("requestId", requestId);
        fields[n++] = kv("method", request.getMethodName());
        fields[n++] = kv("path", path);
        fields[n++] = kv("status", response.code());
        // Milliseconds with two decimals as a BigDecimal: the same JSON number as a double, without the cost of
        // formatting a double on every request.
        fields[n++] = kv("latencyMs", BigDecimal.valueOf(Math.round(latencyNanos / 10_000.0), 2));
        n = putIfPresent(fields, n, "node", response.getHeaders().get(HopHeaders.SERVED_BY));
        n = putIfPresent(fields, n, "strategy", response.getHeaders().get(HopHeaders.STRATEGY));
        n = putIfPresent(fields, n, "fallback", response.getHeaders().get(HopHeaders.FALLBACK));
        n = putIfPresent(fields, n, "key", request.getAttribute(KEY_NAME_ATTRIBUTE).map(Object::toString).orElse(null));
        Object[] arguments = n == fields.length ? fields : Arrays.copyOf(fields, n);
        if (scrape) {
            LOG.debug("request", arguments);
        } else {
            LOG.info("request", arguments);
        }
    }

    private static int putIfPresent(Object[] fields, int n, String name, String value) {
        if (value != null) {
            fields[n++] = kv(name, value);
        }
        return n;
    }
}

package io.sqlgate.hop.http;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.sqlgate.hop.wire.HopHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

import static net.logstash.logback.argument.StructuredArguments.entries;

/**
 * Gives every request its id and writes one JSON log line per request: requestId, method, path, status,
 * latency, and, where the tier knows them, node, strategy and key name (each tier's logback configuration
 * adds its name as {@code tier}).
 * Health and metrics scrapes are logged at DEBUG so that probes do not drown the requests.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class AccessLogFilter implements Ordered {
    /** Set by the gatekeeper's authentication: the name of the key that made the request. */
    public static final String KEY_NAME_ATTRIBUTE = "sqlgate.keyName";
    private static final String START_ATTRIBUTE = "sqlgate.startNanos";
    private static final Logger LOG = LoggerFactory.getLogger("access");

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
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
        boolean scrape = path.startsWith("/health") || path.startsWith("/prometheus");
        if (scrape ? !LOG.isDebugEnabled() : !LOG.isInfoEnabled()) {
            return;
        }
        long started = request.getAttribute(START_ATTRIBUTE, Long.class).orElse(System.nanoTime());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("requestId", requestId);
        fields.put("method", request.getMethodName());
        fields.put("path", path);
        fields.put("status", response.code());
        fields.put("latencyMs", Math.round((System.nanoTime() - started) / 10_000.0) / 100.0);
        putIfPresent(fields, "node", response.getHeaders().get(HopHeaders.SERVED_BY));
        putIfPresent(fields, "strategy", response.getHeaders().get(HopHeaders.STRATEGY));
        putIfPresent(fields, "fallback", response.getHeaders().get(HopHeaders.FALLBACK));
        putIfPresent(fields, "key", request.getAttribute(KEY_NAME_ATTRIBUTE, String.class).orElse(null));
        if (scrape) {
            LOG.debug("request", entries(fields));
        } else {
            LOG.info("request", entries(fields));
        }
    }

    private static void putIfPresent(Map<String, Object> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }
}

package io.sqlgate.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sqlgate.hop.Texts;
import io.sqlgate.testkit.HttpConnection;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends hostile requests and checks every answer: a 4xx, JSON with {@code error}, {@code code} and
 * {@code requestId}, in time, with nothing injected reflected back (no {@code Set-Cookie}, a well-formed
 * {@code X-Request-Id}).
 */
public final class HostileRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request that failed a check, and why. */
    public record Failure(HostileRequest request, int status, String why, String body) {
        @Override
        public String toString() {
            return "[" + request.category() + "] " + request.description() + " -> " + (status == 0 ? "no answer" : status) + ": " + why
                    + (body == null || body.isEmpty() ? "" : " | " + Texts.clip(body, 300));
        }
    }

    /**
     * @param byCategory per family, answers by status and code
     * @param latencies  every answer's time, ms, sorted
     */
    public record Result(int sent, Map<String, Map<String, Integer>> byCategory, List<Failure> failures, double[] latencies,
                         Duration elapsed) {

        public double maxLatencyMs() {
            return latencies.length == 0 ? 0 : latencies[latencies.length - 1];
        }

        public double percentileMs(double p) {
            return latencies.length == 0 ? 0 : Percentiles.of(latencies, p);
        }

        public String report() {
            StringBuilder out = new StringBuilder();
            out.append(String.format("%d hostile requests in %.1f s; answer time p50 %.0f ms, p99 %.0f ms, max %.0f ms; failed checks: %d%n%n",
                    sent, elapsed.toMillis() / 1000.0, percentileMs(50), percentileMs(99), maxLatencyMs(), failures.size()));
            out.append("| family | requests | answers by status and code |\n|---|---:|---|\n");
            byCategory.forEach((category, statuses) -> out.append("| ").append(category).append(" | ")
                    .append(statuses.values().stream().mapToInt(Integer::intValue).sum()).append(" | ")
                    .append(String.join(", ", statuses.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList()))
                    .append(" |\n"));
            if (!failures.isEmpty()) {
                out.append("\nFailed checks (first 40):\n");
                failures.stream().limit(40).forEach(f -> out.append("- ").append(f).append('\n'));
            }
            return out.toString();
        }
    }

    private HostileRun() {
    }

    public static Result send(List<HostileRequest> requests, String host, int port, int workers, Duration maxLatency)
            throws InterruptedException {
        Map<String, Map<String, Integer>> byCategory = Collections.synchronizedMap(new TreeMap<>());
        List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
        double[] latencies = new double[requests.size()];
        AtomicInteger next = new AtomicInteger();
        Duration timeout = maxLatency.plusSeconds(10);
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < requests.size()) {
                        HostileRequest request = requests.get(i);
                        HttpConnection.Response response = HttpConnection.send(host, port, request.bytes(), timeout);
                        latencies[i] = response.latencyMs();
                        String label = check(request, response, maxLatency, failures);
                        synchronized (byCategory) {
                            byCategory.computeIfAbsent(request.category(), k -> new TreeMap<>()).merge(label, 1, Integer::sum);
                        }
                    }
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Arrays.sort(latencies);
        return new Result(requests.size(), byCategory, failures, latencies, Duration.ofNanos(System.nanoTime() - started));
    }

    /** @return the answer's label ("403 SQL_FORBIDDEN", "no answer") after recording any failed check */
    static String check(HostileRequest request, HttpConnection.Response response, Duration maxLatency, List<Failure> failures) {
        if (response.status() == 0) {
            failures.add(new Failure(request, 0, "no answer: " + response.failure(), null));
            return "no answer";
        }
        String body = response.bodyText();
        String code = null;
        List<String> problems = new ArrayList<>();
        if (response.status() < 400 || response.status() > 499) {
            problems.add("status " + response.status() + ", not a 4xx");
        }
        try {
            JsonNode json = JSON.readTree(body);
            if (json == null || !json.isObject()) {
                problems.add("the body is not a JSON object");
            } else {
                for (String field : List.of("error", "code", "requestId")) {
                    if (!json.path(field).isTextual() || json.path(field).asText().isBlank()) {
                        problems.add("no '" + field + "' in the body");
                    }
                }
                code = json.path("code").asText(null);
            }
        } catch (IOException e) {
            problems.add("the body is not JSON");
        }
        if (response.latencyMs() > maxLatency.toMillis()) {
            problems.add(String.format("answered in %.0f ms, over %d ms", response.latencyMs(), maxLatency.toMillis()));
        }
        if (response.headers().containsKey("set-cookie") || response.headers().containsKey("injected")) {
            problems.add("an injected header came back");
        }
        String id = response.header("X-Request-Id");
        if (id != null && !id.matches("[A-Za-z0-9._-]{1,64}")) {
            problems.add("X-Request-Id came back malformed: " + id);
        }
        if (!problems.isEmpty()) {
            failures.add(new Failure(request, response.status(), String.join("; ", problems), body));
        }
        return response.status() + (code == null ? "" : " " + code);
    }
}

package io.sqlgate.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sqlgate.hop.Texts;
import io.sqlgate.reliability.Outcome.Op;
import io.sqlgate.testkit.Eventually;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Steady mixed load through the gatekeeper: a few workers, each paced to its share of the rate, each request
 * with a bounded timeout. A quarter of the requests are writes, each inserting a unique value
 * ({@code <run>-<n>}) into {@code direct_table.column1}; the rest are reads by every route and strategy, each
 * reading back by id a row whose write was acknowledged, so that a read that misses it is seen. Every request
 * and its answer is kept as an {@link Outcome}.
 */
public final class Load implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Op[] MIX = {Op.WRITE_QUERY, Op.FETCH_RANDOM, Op.WRITE_POPULATE, Op.QUERY_CUSTOMIZED,
            Op.FETCH_DIRECT, Op.QUERY_RANDOM, Op.FETCH_CUSTOMIZED, Op.QUERY_DIRECT};

    /**
     * @param requestsPerSecond the total rate; 0 for as fast as the workers go (to find the maximum)
     * @param maxRequests       the load stops by itself after this many requests
     */
    public record Settings(URI gatekeeper, String apiKey, String runId, int workers, double requestsPerSecond,
                           Duration timeout, long maxRequests) {
    }

    private record Known(long id, String value) {
    }

    private final Settings settings;
    private final HttpClient http;
    private final long epochNanos = System.nanoTime();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    private final List<Known> known = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;

    public Load(Settings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** Milliseconds since the load was made: the clock of every {@link Outcome}. */
    public double now() {
        return (System.nanoTime() - epochNanos) / 1e6;
    }

    public synchronized Load start() {
        running = true;
        for (int w = 0; w < settings.workers(); w++) {
            int worker = w;
            Thread thread = new Thread(() -> work(worker), "load-" + w);
            thread.setDaemon(true);
            workers.add(thread);
            thread.start();
        }
        return this;
    }

    /** Stops sending and waits for the requests in flight (each bounded by the timeout). */
    public synchronized void stop() {
        running = false;
        for (Thread thread : workers) {
            try {
                thread.join(settings.timeout().toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        workers.clear();
    }

    @Override
    public void close() {
        stop();
    }

    public boolean running() {
        return running && workers.stream().anyMatch(Thread::isAlive);
    }

    public List<Outcome> outcomes() {
        synchronized (outcomes) {
            return new ArrayList<>(outcomes);
        }
    }

    /**
     * The first outcome that started at or after {@code fromMs} and matches, waiting for it up to {@code timeout};
     * empty when none came by then, or the load stopped first.
     */
    public Optional<Outcome> await(double fromMs, Duration timeout, Predicate<Outcome> wanted) {
        int[] seen = {0};
        try {
            return Eventually.within(timeout, "an outcome from " + Math.round(fromMs) + " ms on").until(() -> {
                List<Outcome> all = outcomes();
                for (int i = seen[0]; i < all.size(); i++) {
                    Outcome outcome = all.get(i);
                    if (outcome.startMs() >= fromMs && wanted.test(outcome)) {
                        return Optional.of(outcome);
                    }
                }
                seen[0] = all.size();
                return Optional.<Outcome>empty();
            }, found -> found.isPresent() || !running());
        } catch (ConditionTimeoutException e) {
            return Optional.empty();
        }
    }

    private void work(int worker) {
        double interval = settings.requestsPerSecond() <= 0 ? 0 : settings.workers() * 1e9 / settings.requestsPerSecond();
        long next = System.nanoTime() + (long) (interval * worker / Math.max(1, settings.workers()));
        int turn = worker;
        while (running) {
            long seq = sequence.getAndIncrement();
            if (seq >= settings.maxRequests()) {
                running = false;
                return;
            }
            if (interval > 0) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    sleepNanos(wait);
                } else if (wait < -1_000_000_000L) {
                    next = System.nanoTime(); // far behind (a stall): carry on at the rate, no burst to catch up
                }
                next += (long) interval;
            }
            Op op = MIX[turn++ % MIX.length];
            outcomes.add(send(seq, op));
        }
    }

    private Outcome send(long seq, Op op) {
        String value = null;
        Known target = null;
        ObjectNode body = JSON.createObjectNode();
        if (op.write()) {
            value = settings.runId() + "-" + written.getAndIncrement();
            if (op == Op.WRITE_QUERY) {
                body.put("sql", "INSERT INTO direct_table (column1, column2) VALUES (?, ?)");
                ArrayNode params = body.putArray("params");
                params.add(value).add("reliability");
            } else {
                body.put("sql", "INSERT INTO direct_table (column1, column2) VALUES ('" + value + "', 'reliability')");
            }
        } else {
            target = someKnownRow();
            String where = target == null ? "id > 0 ORDER BY id LIMIT 1" : "id = " + target.id();
            if (op.route().equals("/query")) {
                body.put("sql", "SELECT id, column1 FROM direct_table WHERE " + (target == null ? where : "id = ?"));
                if (target != null) {
                    body.putArray("params").add(target.id());
                }
                body.put("strategy", op.strategy());
            } else {
                body.put("sql", "SELECT id, column1 FROM direct_table WHERE " + where);
            }
            value = target == null ? null : target.value();
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.gatekeeper().resolve(op.route())).timeout(settings.timeout())
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + settings.apiKey())
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (op.write()) {
            // the write's value is its request id too: the audit ledger's entry of the write names it (WriteCheck)
            builder.header("X-Request-Id", value);
        }
        HttpRequest request = builder.build();
        double started = now();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            double latency = now() - started;
            int status = response.statusCode();
            String servedBy = response.headers().firstValue("X-Served-By").orElse(null);
            boolean fallback = response.headers().firstValue("X-Fallback").map("true"::equals).orElse(false);
            if (status != 200) {
                return new Outcome(seq, op, value, started, latency, status, errorCode(response.body()), servedBy, fallback, true,
                        errorText(response.body()));
            }
            boolean consistent = true;
            JsonNode answer = JSON.readTree(response.body());
            if (op == Op.WRITE_QUERY) {
                JsonNode keys = answer.path("generatedKeys");
                if (keys.isArray() && keys.size() == 1) {
                    known.add(new Known(keys.get(0).asLong(), value));
                }
            } else if (!op.write() && target != null) {
                JsonNode rows = op.route().equals("/query") ? answer.path("rows") : answer;
                consistent = rows.isArray() && rows.size() == 1 && target.value().equals(rows.get(0).path(1).asText());
            }
            return new Outcome(seq, op, value, started, latency, status, null, servedBy, fallback, consistent, null);
        } catch (HttpConnectTimeoutException e) {
            return new Outcome(seq, op, value, started, now() - started, 0, "connect timeout", null, false, true, e.getMessage());
        } catch (HttpTimeoutException e) {
            return new Outcome(seq, op, value, started, now() - started, 0, "timeout", null, false, true, e.getMessage());
        } catch (ConnectException e) {
            return new Outcome(seq, op, value, started, now() - started, 0, "refused", null, false, true, e.getMessage());
        } catch (IOException e) {
            return new Outcome(seq, op, value, started, now() - started, 0, "connection closed", null, false, true, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(seq, op, value, started, now() - started, 0, "interrupted", null, false, true, e.getMessage());
        }
    }

    private Known someKnownRow() {
        synchronized (known) {
            if (known.isEmpty()) {
                return null;
            }
            // mostly recent writes: the hardest case for a read node that lags
            int size = known.size();
            int index = ThreadLocalRandom.current().nextInt(4) == 0 ? ThreadLocalRandom.current().nextInt(size)
                    : Math.max(0, size - 1 - ThreadLocalRandom.current().nextInt(Math.min(size, 20)));
            return known.get(index);
        }
    }

    private static String errorCode(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.hasNonNull("code") ? node.get("code").asText() : "no code";
        } catch (IOException e) {
            return "not JSON";
        }
    }

    private static String errorText(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            String text = node != null && node.hasNonNull("error") ? node.get("error").asText() : body;
            return Texts.clip(text, 300);
        } catch (IOException e) {
            return Texts.clip(body, 300);
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

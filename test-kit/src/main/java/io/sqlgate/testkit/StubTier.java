package io.sqlgate.testkit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A next tier for tests of one tier's boundary: an HTTP server on a free loopback port that records every request
 * it gets (method, path, headers, body) before it answers with the canned answer of the moment. Since a tier
 * forwards before it answers, a request that was forwarded is recorded by the time its answer reaches the client,
 * and one that was refused is not recorded at all.
 */
public final class StubTier implements AutoCloseable {
    /** A request as it arrived; header names are matched without regard to case. */
    public record Received(String method, String path, Headers headers, byte[] body) {
        public String header(String name) {
            return headers.getFirst(name);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What the stub answers: a status, headers and a body (none when empty). */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
        public Answer {
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body);
        }

        public static Answer json(int status, String json, Map<String, String> headers) {
            return new Answer(status, headers, json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(work -> {
        Thread thread = new Thread(work, "stub-tier");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Received> received = new ArrayList<>();
    private Answer answer;

    private StubTier(Answer answer) {
        this.answer = answer;
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A stub that answers {@code answer} until told otherwise. */
    public static StubTier answering(Answer answer) {
        return new StubTier(answer);
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** Answers every later request with {@code next}, and forgets what was received so far. */
    public synchronized void reset(Answer next) {
        this.answer = next;
        received.clear();
    }

    /** Every request received since the last reset, in order. */
    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** The one request received since the last reset. */
    public synchronized Received only() {
        assertEquals(1, received.size(), "requests the next tier received: " + describe(received));
        return received.get(0);
    }

    /** Asserts that nothing reached this tier since the last reset. */
    public synchronized void assertNothingReceived(String why) {
        assertTrue(received.isEmpty(), why + "; the next tier received " + describe(received));
    }

    private void handle(HttpExchange exchange) throws IOException {
        Answer now;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            Headers headers = new Headers();
            exchange.getRequestHeaders().forEach(headers::put);
            synchronized (this) {
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, body));
                now = answer;
            }
        }
        now.headers().forEach(exchange.getResponseHeaders()::set);
        if (now.body().length > 0 && !now.headers().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(now.status(), now.body().length == 0 ? -1 : now.body().length);
        if (now.body().length > 0) {
            exchange.getResponseBody().write(now.body());
        }
        exchange.close();
    }

    private static String describe(List<Received> requests) {
        Map<String, String> each = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            each.put(i + ": " + requests.get(i).method() + " " + requests.get(i).path(), requests.get(i).bodyText());
        }
        return each.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

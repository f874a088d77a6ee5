package io.sqlgate.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Calls the gatekeeper's public API with a key, with bounded timeouts. */
public final class GatekeeperClient {
    private final HttpClient http;
    private final URI base;
    private final String apiKey;
    private final Duration timeout;

    public GatekeeperClient(URI base, String apiKey, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
        this.base = base;
        this.apiKey = apiKey;
        this.timeout = timeout;
    }

    public Answer post(String route, String json) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(route)).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(route, response.statusCode(), response.body(),
                    response.headers().firstValue("X-Served-By").orElse(null),
                    response.headers().firstValue("X-Request-Id").orElse(null), System.nanoTime() - started);
        } catch (HttpTimeoutException e) {
            return new Answer(route, 0, "timed out after " + timeout.toMillis() + " ms", null, null, System.nanoTime() - started);
        } catch (IOException e) {
            return new Answer(route, 0, "connection failed: " + e.getMessage(), null, null, System.nanoTime() - started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

package io.sqlgate.gatekeeper.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sqlgate.hop.Sha256;
import io.sqlgate.testkit.Eventually;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gatekeeper sheds what it cannot take at once: with its one place taken by a request the trusted host never
 * answers (a socket that accepts and says nothing), the next is 503 OVERLOADED at once, health still answers,
 * and the place is free again when the held request ends.
 */
class LoadSheddingTest {
    private static final String KEY = "writer-key-for-load-shedding";
    private static ServerSocket silentTrustedHost;
    private static EmbeddedServer server;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws IOException {
        silentTrustedHost = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "hop.sign-secret", "gatekeeper-to-trusted-host-secret",
                "gatekeeper.api-keys", "tester:writer:" + Sha256.hex(KEY),
                "sqlgate.server.max-in-flight", 1,
                "micronaut.http.services.trusted-host.read-timeout", "2s",
                "micronaut.http.services.trusted-host.url", "http://127.0.0.1:" + silentTrustedHost.getLocalPort()));
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        silentTrustedHost.close();
    }

    private static HttpRequest query(String sql) {
        return HttpRequest.newBuilder(URI.create(server.getURL() + "/query")).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"sql\": \"" + sql + "\"}")).build();
    }

    private static double inFlight() {
        return server.getApplicationContext().getBean(MeterRegistry.class).get("sqlgate.http.in_flight").gauge().value();
    }

    @Test
    void beyondItsInFlightLimitTheTierAnswers503AtOnceAndHealthStillAnswers() throws Exception {
        CompletableFuture<HttpResponse<String>> held = CLIENT.sendAsync(query("SELECT id FROM direct_table WHERE id = 1"),
                HttpResponse.BodyHandlers.ofString());
        Eventually.await(Duration.ofSeconds(10), "one request in flight", () -> inFlight() == 1);

        HttpResponse<String> shed = CLIENT.send(query("SELECT id FROM direct_table WHERE id = 2"), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, shed.statusCode(), shed.body());
        assertTrue(shed.body().contains("\"code\":\"OVERLOADED\""), shed.body());
        assertEquals("1", shed.headers().firstValue("Retry-After").orElse(null));
        assertTrue(shed.headers().firstValue("X-Request-Id").isPresent(), "the refusal has its request id");

        HttpResponse<String> health = CLIENT.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());

        HttpResponse<String> timedOut = held.get();
        assertEquals(504, timedOut.statusCode(), timedOut.body());
        Eventually.await(Duration.ofSeconds(10), "the held request's place freed", () -> inFlight() == 0);
    }
}

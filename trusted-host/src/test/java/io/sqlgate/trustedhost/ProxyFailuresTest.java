package io.sqlgate.trustedhost;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sqlgate.testkit.SignedRequests;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A proxy that cannot be reached, or that never answers, becomes a clear 502 or 504 of the trusted host, in bounded time. */
class ProxyFailuresTest {
    private static final String FROM_GATEKEEPER = "gatekeeper-to-trusted-host-secret";
    private static final SignedRequests GATEKEEPER = new SignedRequests(FROM_GATEKEEPER);

    @Test
    void aProxyThatNeverAnswersIsA504AfterTheReadTimeout() throws IOException {
        // A listening socket that nobody accepts from: the connection opens, the request is sent, no answer comes.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long started = System.nanoTime();
            HttpClientResponseException refused = sendThrough("http://127.0.0.1:" + silent.getLocalPort());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertEquals(504, refused.code(), refused.getResponse().getBody(String.class).orElse(""));
            assertTrue(refused.getResponse().getBody(String.class).orElse("").contains("\"code\":\"UPSTREAM_TIMEOUT\""));
            assertTrue(took.compareTo(Duration.ofSeconds(1)) >= 0 && took.compareTo(Duration.ofSeconds(10)) < 0,
                    "answered after the 1 s read timeout, not before and not much after: " + took);
        }
    }

    @Test
    void aProxyThatCannotBeReachedIsA502() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HttpClientResponseException refused = sendThrough("http://127.0.0.1:" + closedPort);
        String body = refused.getResponse().getBody(String.class).orElse("");
        assertEquals(502, refused.code(), body);
        assertTrue(body.contains("\"code\":\"UPSTREAM_UNAVAILABLE\"") && body.contains("The proxy could not be reached"), body);
    }

    private static HttpClientResponseException sendThrough(String proxyUrl) {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "hop.verify-secret", FROM_GATEKEEPER,
                "hop.sign-secret", "trusted-host-to-proxy-secret",
                "micronaut.http.services.proxy.url", proxyUrl,
                "micronaut.http.services.proxy.read-timeout", "1s"));
             HttpClient client = HttpClient.create(server.getURL())) {
            return assertThrows(HttpClientResponseException.class, () -> client.toBlocking().exchange(
                    GATEKEEPER.post("/query", "{\"sql\": \"SELECT 1\"}"), String.class));
        }
    }
}

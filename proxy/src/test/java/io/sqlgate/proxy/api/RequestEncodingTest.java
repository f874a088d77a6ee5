package io.sqlgate.proxy.api;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sqlgate.testkit.EncodedBodies;
import io.sqlgate.testkit.SignedRequests;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static io.sqlgate.testkit.EncodedBodies.assertEncodingRefused;

/**
 * The proxy inflates no body: a signed request with a Content-Encoding is a 415, compressed or not. The nodes
 * are closed ports; the pools start without connecting, and nothing here reaches them.
 */
class RequestEncodingTest {
    private static final SignedRequests TRUSTED_HOST = new SignedRequests("trusted-host-to-proxy-secret");

    @Test
    void aContentEncodingIsRefusedBeforeTheBodyIsRead() {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "hop.verify-secret", "trusted-host-to-proxy-secret",
                "proxy.database.username", "app",
                "proxy.database.password", "app",
                "proxy.monitor.username", "monitor",
                "proxy.monitor.password", "monitor",
                "proxy.writer.preferred", "node1",
                "proxy.nodes.node1.url", "jdbc:mysql://127.0.0.1:1/main_db"))) {
            URI base = URI.create("http://127.0.0.1:" + server.getPort());
            assertEncodingRefused(EncodedBodies.post(base, TRUSTED_HOST.post("/query", "{\"sql\": \"SELECT 1\"}"), "gzip"), "gzip");
            assertEncodingRefused(EncodedBodies.post(base.resolve("/populate_tables"), "gzip", EncodedBodies.gzippedZeros(16), Map.of()), "gzip");
            assertEncodingRefused(EncodedBodies.post(base, TRUSTED_HOST.post("/fetch_random", "{\"sql\": \"SELECT 1\"}"), "br"), "br");
        }
    }
}

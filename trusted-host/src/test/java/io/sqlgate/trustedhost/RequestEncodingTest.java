package io.sqlgate.trustedhost;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sqlgate.testkit.EncodedBodies;
import io.sqlgate.testkit.SignedRequests;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static io.sqlgate.testkit.EncodedBodies.assertEncodingRefused;

/** The trusted host inflates no body: a signed request with a Content-Encoding is a 415, compressed or not. */
class RequestEncodingTest {
    private static final SignedRequests GATEKEEPER = new SignedRequests("gatekeeper-to-trusted-host-secret");

    @Test
    void aContentEncodingIsRefusedBeforeTheBodyIsRead() {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "hop.verify-secret", "gatekeeper-to-trusted-host-secret",
                "hop.sign-secret", "trusted-host-to-proxy-secret",
                "micronaut.http.services.proxy.url", "http://127.0.0.1:1"))) {
            URI base = URI.create("http://127.0.0.1:" + server.getPort());
            assertEncodingRefused(EncodedBodies.post(base, GATEKEEPER.post("/query", "{\"sql\": \"SELECT 1\"}"), "gzip"), "gzip");
            assertEncodingRefused(EncodedBodies.post(base.resolve("/populate_tables"), "gzip", EncodedBodies.gzippedZeros(16), Map.of()), "gzip");
            assertEncodingRefused(EncodedBodies.post(base, GATEKEEPER.post("/fetch_direct", "{\"sql\": \"SELECT 1\"}"), "deflate"), "deflate");
        }
    }
}

package io.sqlgate.gatekeeper.api;

import io.sqlgate.hop.Sha256;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sqlgate.gatekeeper.auth.ApiKeys;
import io.sqlgate.testkit.EncodedBodies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.sqlgate.testkit.EncodedBodies.assertEncodingRefused;
import static io.sqlgate.testkit.EncodedBodies.gzippedZeros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gatekeeper's refusals of bodies it will not read, over real HTTP with its real configuration. Nothing
 * here gets as far as the trusted host (its URL is a closed port), and nothing needs the database.
 */
class RequestBodyRefusalsTest {
    private static final String KEY = "writer-key-for-body-tests";
    private static final byte[] SELECT = "{\"sql\": \"SELECT 1\"}".getBytes(StandardCharsets.UTF_8);
    private static EmbeddedServer server;

    @BeforeAll
    static void start() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "hop.sign-secret", "gatekeeper-to-trusted-host-secret",
                "gatekeeper.api-keys", "tester:writer:" + Sha256.hex(KEY),
                "micronaut.http.services.trusted-host.url", "http://127.0.0.1:" + closedPort));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBodyDeclaredGzipThatIsNotGzipIs415NotA500() {
        assertEncodingRefused(post("/query", "gzip", SELECT), "gzip");
    }

    @Test
    void aRealGzipBodyIsRefusedWithoutBeingInflated() {
        // Had the server inflated it, it would have refused the 16 MiB as too large (413) and removed the
        // Content-Encoding header, so that no filter could have named the coding.
        byte[] bomb = gzippedZeros(16);
        assertTrue(bomb.length < 64 * 1024, "within the 64 KB request limit: " + bomb.length);
        assertEncodingRefused(post("/populate_tables", "gzip", bomb), "gzip");
    }

    @Test
    void everyOtherCodingIsRefusedToo() {
        assertEncodingRefused(post("/fetch_direct", "deflate", SELECT), "deflate");
        assertEncodingRefused(post("/fetch_random", "br", SELECT), "br");
        assertEncodingRefused(post("/fetch_customized", "identity, gzip", SELECT), "gzip");
        assertEncodingRefused(post("/query", "x-unheard-of", SELECT), "x-unheard-of");
    }

    @Test
    void identityIsAccepted() {
        // Past the encoding check the request meets authentication: without a key, 401.
        HttpResponse<String> answer = EncodedBodies.post(uri("/query"), "identity", SELECT, Map.of());
        assertEquals(401, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"code\":\"AUTH_MISSING\""), answer.body());
    }

    @Test
    void aClientCannotSendTheStatementClass() {
        HttpResponse<String> answer = post("/query", null,
                "{\"sql\": \"SELECT 1\", \"statementClass\": \"read\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"code\":\"BODY_INVALID\""), answer.body());
        assertTrue(answer.body().contains("unknown field \\\"statementClass\\\""), answer.body());
    }

    @Test
    void aSqlThatIsNotAStringIsRefusedNotCoerced() {
        HttpResponse<String> answer = post("/fetch_direct", null, "{\"sql\": [\"SELECT 1\"]}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"code\":\"BODY_INVALID\""), answer.body());
        assertTrue(answer.body().contains("field \\\"sql\\\" must be a string, got an array"), answer.body());
    }

    private static HttpResponse<String> post(String path, String contentEncoding, byte[] body) {
        return EncodedBodies.post(uri(path), contentEncoding, body, Map.of("Authorization", "Bearer " + KEY));
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getPort() + path);
    }
}

package io.sqlgate.proxy.api;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sqlgate.testkit.EncodedBodies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Paths the router takes for a route but that the hop filter does not read as one (a trailing slash, an encoded
 * letter) are no route: 404, never a 500 of a handler that finds no verified request. The nodes are closed ports;
 * nothing here reaches them.
 */
class RoutePathsTest {
    private static EmbeddedServer server;

    @BeforeAll
    static void start() {
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "hop.verify-secret", "trusted-host-to-proxy-secret",
                "proxy.database.username", "app",
                "proxy.database.password", "app",
                "proxy.monitor.username", "monitor",
                "proxy.monitor.password", "monitor",
                "proxy.writer.preferred", "node1",
                "proxy.nodes.node1.url", "jdbc:mysql://127.0.0.1:1/main_db"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @CsvSource({"/query/", "/%71uery", "/populate_tables/"})
    void aPathThatOnlyLooksLikeARouteIs404(String path) {
        HttpResponse<String> answer = EncodedBodies.post(URI.create("http://127.0.0.1:" + server.getPort() + path), null,
                "{\"sql\": \"SELECT 1\"}".getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(404, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"code\":\"NOT_FOUND\""), answer.body());
    }
}

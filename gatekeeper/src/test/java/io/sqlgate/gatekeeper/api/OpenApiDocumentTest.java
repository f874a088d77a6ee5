package io.sqlgate.gatekeeper.api;

import io.sqlgate.hop.wire.ApiRoute;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenApiDocumentTest {
    @Test
    @SuppressWarnings("unchecked")
    void describesEveryPublicRouteWithItsErrors() throws Exception {
        Map<String, Object> document;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(OpenApiController.RESOURCE)) {
            document = new Yaml().load(in);
        }
        Map<String, Object> paths = (Map<String, Object>) document.get("paths");
        // The one handler takes every ApiRoute; the document lists exactly those as POST paths.
        Set<String> routes = Arrays.stream(ApiRoute.values()).map(r -> "/" + r.path()).collect(Collectors.toSet());
        Set<String> documented = paths.entrySet().stream().filter(e -> ((Map<String, Object>) e.getValue()).containsKey("post"))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertEquals(routes, documented);
        for (String route : routes) {
            Map<String, Object> post = (Map<String, Object>) ((Map<String, Object>) paths.get(route)).get("post");
            Map<String, Object> responses = (Map<String, Object>) post.get("responses");
            assertTrue(responses.keySet().containsAll(Set.of("200", "400", "401", "403", "413", "415", "429", "502", "503", "504")),
                    route + " documents " + responses.keySet());
        }
        assertTrue(paths.keySet().containsAll(Set.of("/health/liveness", "/health/readiness")));
    }
}

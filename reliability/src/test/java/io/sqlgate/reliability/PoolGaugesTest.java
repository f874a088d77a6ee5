package io.sqlgate.reliability;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PoolGaugesTest {

    @Test
    void readsThePoolGaugesOfAPrometheusPage() {
        String page = """
                # HELP hikaricp_connections Total connections
                # TYPE hikaricp_connections gauge
                hikaricp_connections{pool="node1-app",} 16.0
                hikaricp_connections_active{pool="node1-app",} 2.0
                hikaricp_connections_pending{pool="node2-app"} 0.0
                hikaricp_connections_timeout_total{pool="node1-app",} 3.0
                hikaricp_connections_max{pool="node1-app",} 16.0
                jvm_threads_live_threads 40.0
                """;
        assertEquals(Map.of("node1-app connections", 16.0, "node1-app active", 2.0, "node2-app pending", 0.0,
                "node1-app timeout_total", 3.0, "node1-app max", 16.0), PoolGauges.of(page));
    }
}

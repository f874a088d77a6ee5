package io.sqlgate.reliability;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessStatsTest {

    @Test
    void readsItsOwnProcess() throws Exception {
        ProcessStats.Sample self = ProcessStats.of(ProcessHandle.current().pid());
        assertTrue(self.rssKib() > 10_000, self.toString());
        assertTrue(self.fds() > 3 && self.threads() > 1, self.toString());
    }

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
        Map<String, Double> pools = ProcessStats.pools(page);
        assertEquals(Map.of("node1-app connections", 16.0, "node1-app active", 2.0, "node2-app pending", 0.0,
                "node1-app timeout_total", 3.0, "node1-app max", 16.0), pools);
    }
}

package io.sqlgate.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalClusterTest {

    @TempDir
    Path repository;

    @Test
    void portsComeFromThePortBaseUnlessAServersOwnPortIsGiven() {
        LocalCluster cluster = new LocalCluster(repository, Map.of("LOCAL_CLUSTER_PORT_BASE", "3510", "SQLGATE_NODE2_PORT", "4000"));
        assertEquals(3510, cluster.port("standalone"));
        assertEquals(3511, cluster.port("node1"));
        assertEquals(4000, cluster.port("node2"));
        assertEquals(3513, cluster.port("node3"));
        assertEquals(Map.of("MICRONAUT_ENVIRONMENTS", "local", "DB_USERNAME", "sqlgate_app", "DB_PASSWORD", "local-dev-app-password",
                "MONITOR_USERNAME", "sqlgate_monitor", "MONITOR_PASSWORD", "local-dev-monitor-password",
                "SQLGATE_NODE1_PORT", "3511", "SQLGATE_NODE2_PORT", "4000", "SQLGATE_NODE3_PORT", "3513"), cluster.proxyEnvironment());
        assertEquals("jdbc:mysql://127.0.0.1:3511/main_db?sessionVariables=wsrep_sync_wait=1", cluster.jdbcUrl("node1"));
        assertEquals("jdbc:mysql://127.0.0.1:3510/main_db", cluster.jdbcUrl("standalone"));
    }

    @Test
    void withoutAnyVariableItIsTheScriptsDefaultCluster() {
        LocalCluster cluster = new LocalCluster(repository, Map.of());
        assertEquals(3310, cluster.port("standalone"));
        assertEquals(3313, cluster.port("node3"));
        assertEquals(repository.resolve(".work/cluster"), cluster.clusterDir());
        assertEquals(Path.of("/elsewhere"), new LocalCluster(repository, Map.of("LOCAL_CLUSTER_DIR", "/elsewhere")).clusterDir());
        assertThrows(IllegalArgumentException.class, () -> cluster.port("node4"));
    }

    @Test
    void theScriptRunsWithTheClustersEnvironmentAndItsFailureSaysWhatItPrinted() throws Exception {
        script("echo \"dir=$LOCAL_CLUSTER_DIR command=$1 node=$2\"; exit 3");
        LocalCluster cluster = new LocalCluster(repository, Map.of("LOCAL_CLUSTER_DIR", "/tmp/a-cluster"));
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> cluster.killNode("node3"));
        assertEquals("bin/local-cluster kill-node node3 failed:\ndir=/tmp/a-cluster command=kill-node node=node3\n", failure.getMessage());
    }

    /** A script that keeps writing and never ends is stopped at the timeout, its output so far reported. */
    @Test
    void aScriptThatDoesNotFinishIsStoppedAtTheTimeout() throws Exception {
        script("echo started; while true; do sleep 0.2; done");
        LocalCluster cluster = new LocalCluster(repository, Map.of(), Duration.ofSeconds(1));
        long started = System.nanoTime();
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> cluster.startNode("node1"));
        assertEquals("bin/local-cluster start-node node1 did not finish within 1 s:\nstarted\n", failure.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 15, "bounded by the timeout");
    }

    @Test
    void aScriptThatSucceedsReturns() throws Exception {
        script("echo fine");
        new LocalCluster(repository, Map.of()).startNode("node2");
    }

    private void script(String body) throws Exception {
        Path script = repository.resolve("bin/local-cluster");
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}

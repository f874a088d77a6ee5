package io.sqlgate.proxy.nodes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NodePoolsTest {
    @Test
    void monitoringUrlsConnectToNoDatabase() {
        assertEquals("jdbc:mysql://h:3306/", NodePools.withoutDatabase("jdbc:mysql://h:3306/main_db"));
        assertEquals("jdbc:mysql://h:3306/?a=b&c=d", NodePools.withoutDatabase("jdbc:mysql://h:3306/main_db?a=b&c=d"));
        assertEquals("jdbc:mysql://h:3306", NodePools.withoutDatabase("jdbc:mysql://h:3306"));
    }
}

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

    @Test
    void theRowCapJoinsTheUrlsSessionVariables() {
        assertEquals("jdbc:mysql://h:3306/main_db?sessionVariables=sql_select_limit=6",
                NodePools.withSessionVariable("jdbc:mysql://h:3306/main_db", "sql_select_limit", "6"));
        assertEquals("jdbc:mysql://h:3306/main_db?sessionVariables=wsrep_sync_wait=1,sql_select_limit=6",
                NodePools.withSessionVariable("jdbc:mysql://h:3306/main_db?sessionVariables=wsrep_sync_wait=1", "sql_select_limit", "6"));
        assertEquals("jdbc:mysql://h/db?a=b&sessionVariables=wsrep_sync_wait=1,sql_select_limit=6&c=d",
                NodePools.withSessionVariable("jdbc:mysql://h/db?a=b&sessionVariables=wsrep_sync_wait=1&c=d", "sql_select_limit", "6"));
        assertEquals("jdbc:mysql://h/db?a=b&sessionVariables=sql_select_limit=6",
                NodePools.withSessionVariable("jdbc:mysql://h/db?a=b", "sql_select_limit", "6"));
        assertEquals("jdbc:mysql://h/db?sessionVariables=sql_select_limit=6",
                NodePools.withSessionVariable("jdbc:mysql://h/db?", "sql_select_limit", "6"));
    }

    /** The monitor's pings must not wait for Galera's causality check: it stalls with the cluster. */
    @Test
    void monitoringUrlsLeaveOutTheCausalityWait() {
        assertEquals("jdbc:mysql://h:3306/", NodePools.withoutSessionVariable("jdbc:mysql://h:3306/?sessionVariables=wsrep_sync_wait=1",
                "wsrep_sync_wait"));
        assertEquals("jdbc:mysql://h/?a=b&sessionVariables=x=2&c=d", NodePools.withoutSessionVariable(
                "jdbc:mysql://h/?a=b&sessionVariables=WSREP_SYNC_WAIT=1,x=2&c=d", "wsrep_sync_wait"));
        assertEquals("jdbc:mysql://h/?sslMode=REQUIRED", NodePools.withoutSessionVariable("jdbc:mysql://h/?sslMode=REQUIRED", "wsrep_sync_wait"));
        assertEquals("jdbc:mysql://h/", NodePools.withoutSessionVariable("jdbc:mysql://h/", "wsrep_sync_wait"));
    }

    /** Each server in its own variable: MySQL has no max_statement_time, and a SET of it would fail every connection. */
    @Test
    void theServersOwnStatementLimitIsNinetyPercentOfTheQueryTimeoutInItsOwnVariable() {
        assertEquals("jdbc:mysql://h/db?sessionVariables=max_statement_time=9.000", NodePools.withServerStatementLimit(
                "jdbc:mysql://h/db", io.sqlgate.proxy.ProxyConfiguration.ServerFlavour.MARIADB, java.time.Duration.ofSeconds(10)));
        assertEquals("jdbc:mysql://h/db?sessionVariables=max_execution_time=9000", NodePools.withServerStatementLimit(
                "jdbc:mysql://h/db", io.sqlgate.proxy.ProxyConfiguration.ServerFlavour.MYSQL, java.time.Duration.ofSeconds(10)));
        assertEquals("jdbc:mysql://h/db?sessionVariables=max_statement_time=0.500", NodePools.withServerStatementLimit(
                "jdbc:mysql://h/db", io.sqlgate.proxy.ProxyConfiguration.ServerFlavour.MARIADB, java.time.Duration.ofMillis(300)));
    }
}

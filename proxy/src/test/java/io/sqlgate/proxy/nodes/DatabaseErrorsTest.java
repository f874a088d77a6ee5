package io.sqlgate.proxy.nodes;

import io.sqlgate.http.ApiException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DatabaseErrorsTest {

    /**
     * Seen when a node's peers stop answering mid-write: the write is rolled back and the node is out of the
     * cluster, which is the node's state, not the statement's fault. It was answered 400 SQL_ERROR before.
     */
    @Test
    void aCommitRefusedOutsideThePrimaryComponentIsTheNodeUnavailable() {
        ApiException answer = DatabaseErrors.toApi(new SQLException("Error while appending streaming replication fragment"
                + "(provider status: Not connected to Primary Component)", "HY000", 1180), "node1");
        assertEquals(503, answer.status());
        assertEquals("NODE_UNAVAILABLE", answer.code());
    }

    @Test
    void aNodeNotReadyForApplicationsIsUnavailableAndAStatementErrorStaysTheClients() {
        assertEquals("NODE_UNAVAILABLE", DatabaseErrors.toApi(new SQLNonTransientConnectionException(
                "WSREP has not yet prepared node for application use", "08S01", 1047), "node2").code());
        ApiException unknownColumn = DatabaseErrors.toApi(new SQLException("Unknown column 'x' in 'field list'", "42S22", 1054), "node1");
        assertEquals(400, unknownColumn.status());
        assertEquals("SQL_ERROR", unknownColumn.code());
        assertEquals("SQL_ERROR", DatabaseErrors.toApi(new SQLException("Field 'x' doesn't have a default value", "HY000", 1364), "node1").code());
    }
}

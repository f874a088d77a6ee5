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

    /** After a commit was sent, only a node's answer that it rolled the transaction back makes its outcome known. */
    @Test
    void aCommitIsKnownRolledBackOnlyAfterADeadlockOrACertificationFailure() {
        assertEquals(true, DatabaseErrors.rolledBack(new SQLException("Deadlock found when trying to get lock; try restarting transaction",
                "40001", 1213)));
        assertEquals(true, DatabaseErrors.rolledBack(new SQLException("serialization failure", "40001", 0)));
        assertEquals(false, DatabaseErrors.rolledBack(new SQLException("Got error 6 during COMMIT", "HY000", 1180)));
        assertEquals(false, DatabaseErrors.rolledBack(new SQLNonTransientConnectionException("Communications link failure", "08S01", 0)));
        assertEquals(false, DatabaseErrors.rolledBack(new SQLException("Got temporary error 4012 'Request ndbd time-out' from NDBCLUSTER",
                "HY000", 1296)));
    }

    /** The ledger's own failures, which no retry cures, apart from a conflict or a timeout that one may. */
    @Test
    void theLedgersOwnRefusalsAreToldApartFromTransientErrors() {
        assertEquals(true, DatabaseErrors.ledgerRefused(new SQLException("Table 'sqlgate_audit.write_entry' doesn't exist", "42S02", 1146)));
        assertEquals(true, DatabaseErrors.ledgerRefused(new SQLException("INSERT command denied", "42000", 1142)));
        assertEquals(true, DatabaseErrors.ledgerRefused(new SQLException("Data too long for column 'key_name'", "22001", 1406)));
        assertEquals(false, DatabaseErrors.ledgerRefused(new SQLException("Deadlock found", "40001", 1213)));
        assertEquals(false, DatabaseErrors.ledgerRefused(new SQLException("Lock wait timeout exceeded", "HY000", 1205)));
        assertEquals(false, DatabaseErrors.ledgerRefused(new SQLException("Query execution was interrupted (max_statement_time exceeded)",
                "70100", 1969)));
    }
}

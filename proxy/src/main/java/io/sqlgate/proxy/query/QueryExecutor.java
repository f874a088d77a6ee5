package io.sqlgate.proxy.query;

import io.sqlgate.proxy.ProxyConfiguration;
import io.sqlgate.proxy.audit.AuditLedger;
import io.sqlgate.proxy.health.HealthMonitor;
import io.sqlgate.proxy.limits.KeyBulkheads;
import io.sqlgate.sql.SqlPolicy;
import io.sqlgate.proxy.nodes.BorrowedConnection;
import io.sqlgate.proxy.nodes.DatabaseErrors;
import io.sqlgate.proxy.nodes.Node;
import com.mysql.cj.jdbc.exceptions.PacketTooBigException;
import io.micronaut.http.HttpStatus;
import io.sqlgate.http.ApiException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Runs one client statement on one node, always as a prepared statement (client-side): a read in auto-commit, a
 * write in a transaction of its own with its audit entry (or in auto-commit with the ledger off), so that a
 * statement either commits whole or not at all. Failures of the node (see {@link DatabaseErrors}) are reported
 * to the monitor.
 * Each statement has a connection of its own whose session is reset when it goes back to the pool, unless the
 * statement is proven unable to leave anything on it (see {@link BorrowedConnection}): nothing one request leaves
 * on a session reaches the next.
 */
@Singleton
public final class QueryExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(QueryExecutor.class);
    private final int queryTimeoutSeconds;
    private final int maxRows;
    private final long maxResultBytes;
    private final HealthMonitor monitor;
    private final AuditLedger ledger;

    public QueryExecutor(ProxyConfiguration configuration, HealthMonitor monitor, AuditLedger ledger) {
        this.ledger = ledger;
        this.queryTimeoutSeconds = (int) Math.max(1, configuration.database().queryTimeout().toSeconds());
        this.maxRows = configuration.database().maxRows();
        this.maxResultBytes = configuration.database().maxResultBytes();
        this.monitor = monitor;
    }

    /**
     * Reads rows one at a time off the socket (the driver's streaming mode) and stops at the row cap or the byte
     * budget, whichever comes first, so that no result is held in memory beyond its limit. A read that does not end
     * cleanly (over the budget, cancelled, failed mid-way) abandons its connection before anything closes the result:
     * closing a streaming result reads the rest of it first, and a connection with a result left on it is no use to
     * the next statement.
     */
    public Rows read(Node node, String sql, List<Object> params, KeyBulkheads.Lease lease) throws NodeFailure {
        ResultBudget budget = new ResultBudget(maxResultBytes);
        long started = System.nanoTime();
        try (BorrowedConnection borrowed = node.borrow(!SqlPolicy.provenStateless(sql));
             PreparedStatement statement = prepare(borrowed.connection(), sql, params, Statement.NO_GENERATED_KEYS)) {
            statement.setFetchSize(Integer.MIN_VALUE);
            lease.running(node.name(), statement);
            Rows rows = null;
            try {
                rows = readRows(borrowed, statement.executeQuery(), budget);
            } catch (PacketTooBigException e) {
                // one row larger than the budget: the driver refused to read it (its maxAllowedPacket, see NodePools)
                borrowed.abandon();
            } catch (SQLException e) {
                // Failed, cancelled or stopped by the node, a streaming read may leave part of its result on the
                // connection, where the next statement would meet it: the connection goes, whatever the failure,
                // and its key pays for the new one, so that failing reads are no cheap way to make the proxy reconnect.
                borrowed.abandon();
                lease.connectionDropped();
                throw e;
            } finally {
                lease.finished();
            }
            if (rows == null) {
                lease.connectionDropped();
                throw tooLarge(budget);
            }
            return rows;
        } catch (SQLException e) {
            throw failure(node, e, lease, started, false);
        }
    }

    /** @return the rows, or null when they do not fit the budget (the connection then abandoned) */
    private Rows readRows(BorrowedConnection borrowed, ResultSet results, ResultBudget budget) throws SQLException {
        boolean clean = false;
        try {
            // The session's sql_select_limit (see NodePools) stops the node after maxRows + 1 rows.
            ResultSetMetaData meta = results.getMetaData();
            int width = meta.getColumnCount();
            List<String> columns = new ArrayList<>(width);
            for (int i = 1; i <= width; i++) {
                columns.add(meta.getColumnLabel(i));
                budget.spend(columns.get(i - 1));
            }
            List<List<Object>> rows = new ArrayList<>();
            boolean truncated = false;
            while (results.next()) {
                if (rows.size() == maxRows) {
                    truncated = true;
                    break;
                }
                List<Object> row = new ArrayList<>(width);
                for (int i = 1; i <= width; i++) {
                    Object value = JdbcValues.toJson(results.getObject(i));
                    if (!budget.spend(value)) {
                        return null;
                    }
                    row.add(value);
                }
                rows.add(row);
            }
            clean = true;
            return new Rows(columns, rows, truncated);
        } finally {
            if (!clean) {
                borrowed.abandon();
            }
            try {
                results.close();
            } catch (SQLException e) {
                if (clean) {
                    throw e;
                }
                // the connection is abandoned already: the result has nowhere left to be read from
            }
        }
    }

    private static ApiException tooLarge(ResultBudget budget) {
        return new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "RESULT_TOO_LARGE", "The result is larger than the limit of "
                + budget.limit() + " bytes; select fewer rows or columns, or read it in pages with LIMIT");
    }

    /**
     * Runs a write and, with the ledger on, records it in the same transaction ({@link AuditLedger}). A failure says
     * whether the write may have committed ({@link NodeFailure#outcomeUnknown()}): its connection failed after the
     * commit was sent, or, with the ledger off (auto-commit), after the statement was.
     */
    public Written write(Node node, String sql, List<Object> params, AuditLedger.WriteRecord record, KeyBulkheads.Lease lease)
            throws NodeFailure {
        long started = System.nanoTime();
        boolean[] sent = {false};
        AuditLedger.WriteStatement statement = connection -> {
            try (PreparedStatement prepared = prepare(connection, sql, params, Statement.RETURN_GENERATED_KEYS)) {
                long affected;
                lease.running(node.name(), prepared);
                sent[0] = true;
                try {
                    affected = prepared.executeLargeUpdate();
                } finally {
                    lease.finished();
                }
                List<Object> keys = new ArrayList<>();
                try (ResultSet generated = prepared.getGeneratedKeys()) {
                    while (generated.next()) {
                        keys.add(JdbcValues.toJson(generated.getObject(1)));
                    }
                }
                return new Written(affected, keys);
            }
        };
        try (BorrowedConnection borrowed = node.borrow(!SqlPolicy.provenStateless(sql))) {
            if (!ledger.enabled()) {
                return statement.run(borrowed.connection());
            }
            try {
                return ledger.record(borrowed.connection(), node.name(), record, statement);
            } catch (AuditLedger.Failure failure) {
                throw ledgerFailure(node, failure, record, lease, started);
            }
        } catch (SQLException e) {
            throw failure(node, e, lease, started, sent[0]);
        }
    }

    /**
     * A write that failed in the ledger's transaction. Before its commit was sent nothing committed: the node rolls
     * back a transaction whose connection failed, so a node failure then is a write to try on the next writer. Once the
     * commit was sent, the write may have committed unless the node said it rolled it back (a deadlock, or Galera's
     * certification failure): never tried again. An entry the node refused for the ledger's own reasons (its table
     * missing, no privilege, a value it cannot take) means no write: the client is told the ledger is unavailable,
     * the operator the node's reason.
     */
    private NodeFailure ledgerFailure(Node node, AuditLedger.Failure failure, AuditLedger.WriteRecord record, KeyBulkheads.Lease lease,
                                      long started) {
        SQLException e = failure.sqlCause();
        if (failure.phase() == AuditLedger.Phase.COMMIT) {
            DatabaseErrors.Kind kind = e == null ? DatabaseErrors.Kind.LOST : reported(node, e, started);
            boolean rolledBack = e != null && DatabaseErrors.rolledBack(e);
            ApiException answer = e != null ? DatabaseErrors.toApi(e, node.name()) : new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                    "NODE_UNAVAILABLE", "The node " + node.name() + " failed the commit");
            return new NodeFailure(answer, rolledBack ? DatabaseErrors.Kind.STATEMENT : kind, !rolledBack);
        }
        if (e == null || failure.phase() == AuditLedger.Phase.ENTRY && DatabaseErrors.ledgerRefused(e)) {
            LOG.error("the audit ledger could not record a write; the write was not made", kv("requestId", record.requestId()),
                    kv("key", record.keyName()), kv("node", node.name()), kv("phase", failure.phase()),
                    kv("error", e == null ? String.valueOf(failure.getCause()) : DatabaseErrors.describe(e)));
            return new NodeFailure(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "AUDIT_UNAVAILABLE",
                    "The write was not made: the audit ledger could not record it (node " + node.name()
                            + (e == null ? "" : ", SQLSTATE " + e.getSQLState() + ", error " + e.getErrorCode())
                            + "); the proxy's log says why"), DatabaseErrors.Kind.STATEMENT, false);
        }
        return failure(node, e, lease, started, false);
    }

    private PreparedStatement prepare(Connection connection, String sql, List<Object> params, int keys) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql, keys);
        statement.setQueryTimeout(queryTimeoutSeconds);
        for (int i = 0; i < params.size(); i++) {
            // QueryBodies admitted only scalars.
            statement.setObject(i + 1, params.get(i));
        }
        return statement;
    }

    /** @param writeSent true for a write whose statement was sent to the node before it failed */
    private NodeFailure failure(Node node, SQLException e, KeyBulkheads.Lease lease, long started, boolean writeSent) {
        if (lease.cancelledForBudget()) {
            return new NodeFailure(lease.exhausted(), DatabaseErrors.Kind.STATEMENT, false);
        }
        DatabaseErrors.Kind kind = reported(node, e, started);
        return new NodeFailure(DatabaseErrors.toApi(e, node.name()), kind, writeSent && DatabaseErrors.outcomeUnknown(kind, e));
    }

    /** What the error says of the node, the monitor told when it is the node's failure. */
    private DatabaseErrors.Kind reported(Node node, SQLException e, long started) {
        DatabaseErrors.Kind kind = DatabaseErrors.classify(e);
        if (kind.nodeFailure()) {
            monitor.reportFailure(node.name(), kind, DatabaseErrors.describe(e), started);
        }
        return kind;
    }

    /**
     * A statement that failed on its node.
     */
    public static final class NodeFailure extends Exception {
        private final ApiException answer;
        private final DatabaseErrors.Kind kind;
        private final boolean outcomeUnknown;

        NodeFailure(ApiException answer, DatabaseErrors.Kind kind, boolean outcomeUnknown) {
            super(answer.getMessage(), null, false, false);
            this.answer = answer;
            this.kind = kind;
            this.outcomeUnknown = outcomeUnknown;
        }

        public ApiException answer() {
            return answer;
        }

        /** True when the node failed, not the statement: a read may be tried on another node. */
        public boolean nodeFailed() {
            return kind.nodeFailure();
        }

        /** True when a write was sent and its connection then failed: it may have committed. */
        public boolean outcomeUnknown() {
            return outcomeUnknown;
        }
    }
}

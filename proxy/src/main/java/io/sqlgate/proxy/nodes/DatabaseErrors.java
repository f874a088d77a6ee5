package io.sqlgate.proxy.nodes;

import io.sqlgate.hop.Texts;
import io.micronaut.http.HttpStatus;
import io.sqlgate.http.ApiException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/**
 * The one reading of a database error: what it says about the node (for the monitor and for retries) and what the
 * client is told (its class, never a stack trace). The monitor, the request path and the HTTP mapping all use it,
 * so that they cannot disagree about whether a node failed or a statement did.
 */
public final class DatabaseErrors {
    private DatabaseErrors() {
    }

    /** What an error says, from the node's side. */
    public enum Kind {
        /** No connection could be made: nothing reached the node. */
        REFUSED(true),
        /** A connection broke or stopped answering: what was sent may or may not have run. */
        LOST(true),
        /** The node answered that it cannot serve (Galera not ready, outside the primary component, shutting down). */
        NOT_READY(true),
        /** The statement ran past a time limit. */
        TIMEOUT(false),
        /** Every pooled connection was busy. */
        POOL_EXHAUSTED(false),
        /** The statement itself failed: the node is fine. */
        STATEMENT(false);

        private final boolean nodeFailure;

        Kind(boolean nodeFailure) {
            this.nodeFailure = nodeFailure;
        }

        /** True when the error is the node's, not the statement's: the monitor hears of it, a read may go elsewhere. */
        public boolean nodeFailure() {
            return nodeFailure;
        }
    }

    /** The first SQLException in a failure's chain of causes, or null when there is none. */
    public static SQLException sqlCause(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    public static Kind classify(SQLException e) {
        int code = e.getErrorCode();
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTimeoutException || "70100".equals(state) || code == 3024 || code == 1969) {
            return Kind.TIMEOUT;
        }
        // 1047: Galera not prepared for applications; 1053: shutting down; 1180: a commit refused outside the
        // primary component (its SQLSTATE is the generic HY000, but the statement was fine and was rolled back).
        if (code == 1047 || code == 1053 || code == 1180) {
            return Kind.NOT_READY;
        }
        if (refused(e)) {
            return Kind.REFUSED;
        }
        if (state.startsWith("08") || e instanceof SQLRecoverableException) {
            return Kind.LOST;
        }
        if (e instanceof SQLTransientConnectionException) {
            // HikariCP's "connection is not available": its cause is why the pool could not make one, if any
            return e.getCause() instanceof SQLException cause && classify(cause).nodeFailure() ? classify(cause) : Kind.POOL_EXHAUSTED;
        }
        return Kind.STATEMENT;
    }

    /** Nothing reached the node: the socket could not be opened (refused, no route, unknown host). */
    private static boolean refused(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException || cause instanceof UnknownHostException) {
                return true;
            }
            if (cause instanceof SQLException sql && ("08001".equals(sql.getSQLState()) || "08004".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A failure of a transaction's commit that the node answered by rolling it back: a deadlock, or a Galera write
     * set that failed certification. Any other failure of a commit leaves its outcome unknown.
     */
    public static boolean rolledBack(SQLException e) {
        return e.getErrorCode() == 1213 || "40001".equals(e.getSQLState());
    }

    /**
     * The node refused the audit ledger's entry for the ledger's own reasons, which no retry cures: its schema or
     * table missing (1049, 1146), a column it lacks (1054), no privilege (1044, 1142, 1143), a value it cannot take
     * (1364, 1366, 1406).
     */
    public static boolean ledgerRefused(SQLException e) {
        return switch (e.getErrorCode()) {
            case 1044, 1049, 1054, 1142, 1143, 1146, 1364, 1366, 1406 -> true;
            default -> false;
        };
    }

    /** A write that failed this way may have committed: the client is told so, and it is never repeated. */
    public static boolean outcomeUnknown(Kind kind, SQLException e) {
        // NOT_READY codes 1047 and 1180 are answered before anything commits; 1053 can cut a commit short.
        return kind == Kind.LOST || (kind == Kind.NOT_READY && e.getErrorCode() == 1053);
    }

    public static ApiException toApi(SQLException e, String node) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        int code = e.getErrorCode();
        String detail = " (node " + node + ", SQLSTATE " + (state.isEmpty() ? "none" : state) + ", error " + code + "): " + describe(e);
        switch (classify(e)) {
            case TIMEOUT:
                return new ApiException(HttpStatus.GATEWAY_TIMEOUT, "QUERY_TIMEOUT", "The statement ran past the query timeout" + detail);
            case REFUSED:
            case LOST:
            case NOT_READY:
                return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "NODE_UNAVAILABLE", "The node could not serve the statement" + detail);
            case POOL_EXHAUSTED:
                return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "NODE_BUSY", "No connection to the node was free in time" + detail);
            default:
                break;
        }
        if (code == 1213 || code == 1205 || "40001".equals(state)) {
            return new ApiException(HttpStatus.CONFLICT, "TRANSACTION_CONFLICT", "The statement conflicted with another and was rolled back; retry it" + detail);
        }
        if (state.startsWith("23")) {
            return new ApiException(HttpStatus.CONFLICT, "CONSTRAINT_VIOLATION", "The statement violates a constraint" + detail);
        }
        if (code == 1142 || code == 1143 || code == 1044 || code == 1227 || code == 1370) {
            return new ApiException(HttpStatus.FORBIDDEN, "DATABASE_ACCESS_DENIED", "The database refused the statement for lack of privileges" + detail);
        }
        if (state.startsWith("07") || state.equals("S1009")) {
            return ApiException.badRequest("PARAMS_MISMATCH", "The parameters do not match the statement's placeholders" + detail);
        }
        if (state.startsWith("42") || state.startsWith("22") || state.startsWith("21") || state.startsWith("HY")) {
            return ApiException.badRequest("SQL_ERROR", "The database refused the statement" + detail);
        }
        return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "DATABASE_ERROR", "The database failed the statement" + detail);
    }

    /** The error's first line, and its cause's, at most 300 characters: for logs and answers. */
    public static String describe(SQLException e) {
        String message = firstLine(e);
        if (e.getCause() != null && e.getCause() != e) {
            message += " (" + firstLine(e.getCause()) + ")";
        }
        return Texts.clip(message, 300);
    }

    private static String firstLine(Throwable e) {
        return Texts.firstLine(e.getMessage(), e.getClass().getSimpleName());
    }
}

package io.sqlgate.proxy.query;

import io.micronaut.http.HttpStatus;
import io.sqlgate.hop.http.ApiException;
import io.sqlgate.proxy.health.HealthMonitor;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/** Turns a database error into the answer a client can act on: its class, never a stack trace. */
final class DatabaseErrors {
    private DatabaseErrors() {
    }

    static ApiException toApi(SQLException e, String node) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        int code = e.getErrorCode();
        String detail = " (node " + node + ", SQLSTATE " + (state.isEmpty() ? "none" : state) + ", error " + code + "): " + message(e);
        if (e instanceof SQLTimeoutException || "70100".equals(state) || code == 3024 || code == 1969) {
            return new ApiException(HttpStatus.GATEWAY_TIMEOUT, "QUERY_TIMEOUT", "The statement ran past the query timeout" + detail);
        }
        // 1180: a Galera node that lost the primary component cannot commit ("Not connected to Primary
        // Component"); its SQLSTATE is the generic HY000, but the statement was fine and was rolled back.
        if (HealthMonitor.isConnectionError(e) || code == 1047 || code == 1053 || code == 1180) {
            return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "NODE_UNAVAILABLE", "The node could not be reached" + detail);
        }
        if (e instanceof SQLTransientConnectionException) {
            return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "NODE_BUSY", "No connection to the node was free in time" + detail);
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

    private static String message(SQLException e) {
        String text = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}

package io.sqlgate.proxy.query;

import io.sqlgate.hop.http.ApiException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLException;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Converts between JSON values and JDBC values. */
final class JdbcValues {
    private JdbcValues() {
    }

    /** A JSON parameter as a JDBC value: scalars only. */
    static Object toJdbc(Object value, int position) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Double || value instanceof BigDecimal
                || value instanceof BigInteger || value instanceof Float || value instanceof Short) {
            return value;
        }
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            throw ApiException.badRequest("PARAMS_INVALID", "Parameter " + position
                    + " is an array or object; only strings, numbers, booleans and null can be bound");
        }
        throw ApiException.badRequest("PARAMS_INVALID", "Parameter " + position + " has an unsupported type");
    }

    /** A column value as JSON: numbers, strings, booleans and null as they are; dates as ISO text; bytes as Base64. */
    static Object toJson(Object value) throws SQLException {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Blob blob) {
            return Base64.getEncoder().encodeToString(blob.getBytes(1, (int) blob.length()));
        }
        if (value instanceof Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime().toString();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().toString();
        }
        if (value instanceof java.sql.Time time) {
            return time.toLocalTime().toString();
        }
        if (value instanceof TemporalAccessor) {
            return value.toString();
        }
        return value.toString();
    }
}

package io.sqlgate.proxy.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import io.micronaut.data.model.DataType;

import java.time.LocalDateTime;

/**
 * One write as the ledger keeps it ({@code sqlgate_audit.write_entry}, see {@code audit/schema.sql}).
 *
 * @param id            assigned by the database
 * @param recordedAt    when the proxy ran the write, UTC, to the microsecond ({@link MicrosecondTime})
 * @param requestId     the request id every tier logged it under
 * @param keyName       the name of the API key that sent it (never the key)
 * @param route         the route it came by: {@code populate_tables} or {@code query}
 * @param digest        SHA-256 of the digest text, hex: the same for statements that differ only in their values
 * @param digestText    the statement with its values taken out ({@code io.sqlgate.sql.SqlDigest})
 * @param tablesTouched the tables it names, qualified, comma-separated, sorted
 * @param affectedRows  rows the database says it changed
 * @param node          the node it ran on
 * @param params        its bound values as JSON, only when {@code proxy.audit.record-params} is on
 */
@MappedEntity(value = "write_entry", schema = AuditEntry.SCHEMA)
public record AuditEntry(@Id @GeneratedValue @Nullable Long id,
                         @MappedProperty(type = DataType.STRING, converter = MicrosecondTime.class, converterPersistedType = String.class)
                         LocalDateTime recordedAt,
                         String requestId,
                         String keyName,
                         String route,
                         String digest,
                         String digestText,
                         String tablesTouched,
                         long affectedRows,
                         String node,
                         @Nullable String params) {
    /** The ledger's schema: a system schema to the SQL policy, which no client statement reaches. */
    public static final String SCHEMA = "sqlgate_audit";
}

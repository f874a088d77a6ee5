package io.sqlgate.proxy.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** The ledger's table, on the connection of the write being recorded, or of the search ({@link WriterConnection}). */
@JdbcRepository(dialect = Dialect.MYSQL)
public interface AuditRepository extends GenericRepository<AuditEntry, Long> {

    AuditEntry save(AuditEntry entry);

    /**
     * The entries that match every filter given (a null filter matches all), newest first, from below a page's
     * end ({@code beforeTime}, {@code beforeId}). Times are {@link MicrosecondTime} texts. The statement reaches the
     * node with its values in place (client-side prepared), so that the node drops the filters that are null and
     * uses the index of those that are not.
     */
    @Query("""
            SELECT id, recorded_at, request_id, key_name, route, digest, digest_text, tables_touched, affected_rows, node, params
              FROM sqlgate_audit.write_entry
             WHERE (:requestId IS NULL OR request_id = :requestId)
               AND (:keyName IS NULL OR key_name = :keyName)
               AND (:table IS NULL OR FIND_IN_SET(:table, tables_touched) > 0)
               AND (:fromTime IS NULL OR recorded_at >= :fromTime)
               AND (:toTime IS NULL OR recorded_at < :toTime)
               AND (:beforeTime IS NULL OR recorded_at < :beforeTime OR (recorded_at = :beforeTime AND id < :beforeId))
             ORDER BY recorded_at DESC, id DESC
             LIMIT :limit""")
    List<AuditEntry> search(@Nullable String requestId, @Nullable String keyName, @Nullable String table, @Nullable String fromTime,
                            @Nullable String toTime, @Nullable String beforeTime, long beforeId, int limit);
}

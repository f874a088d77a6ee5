package io.sqlgate.proxy.audit;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

/** The ledger's table, on the connection of the write being recorded ({@link WriterConnection}). */
@JdbcRepository(dialect = Dialect.MYSQL)
public interface AuditRepository extends GenericRepository<AuditEntry, Long> {

    AuditEntry save(AuditEntry entry);
}

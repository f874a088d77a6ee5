package io.sqlgate.proxy.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.support.TransactionSynchronization;
import io.sqlgate.hop.Sha256;
import io.sqlgate.hop.wire.AuditQuery;
import io.sqlgate.proxy.ProxyConfiguration;
import io.sqlgate.proxy.query.Written;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SortedSet;

/**
 * Records every write in the ledger ({@link AuditEntry}) in the write's own transaction, on the connection the write
 * runs on: the entry is inserted after the statement and before the commit, so that both are there or neither is.
 * The transaction is Micronaut's ({@link TransactionOperations} of the {@link WriterConnection} data source); a
 * failure says in which {@link Phase} it happened, which is what the caller needs to know of the write's fate:
 * before the commit was sent nothing can have committed (the node rolls back a transaction whose connection
 * fails), after it the write may have.
 */
@Singleton
public final class AuditLedger {
    private final TransactionOperations<Connection> transactions;
    private final AuditRepository entries;
    private final JsonMapper json;
    private final boolean enabled;
    private final boolean recordParams;
    private final Counter recorded;

    public AuditLedger(@Named("default") TransactionOperations<Connection> transactions, AuditRepository entries,
                       JsonMapper json, ProxyConfiguration configuration, MeterRegistry meters) {
        this.transactions = transactions;
        this.entries = entries;
        this.json = json;
        this.enabled = configuration.audit().enabled();
        this.recordParams = configuration.audit().recordParams();
        this.recorded = Counter.builder("sqlgate.audit.entries").description("Writes recorded in the audit ledger").register(meters);
    }

    /** What the ledger says of one write, besides what the database answers. */
    public record WriteRecord(String requestId, String keyName, String route, String digestText, SortedSet<String> tables,
                              List<Object> params) {
    }

    /** A write's statement, run on the connection it is given. */
    public interface WriteStatement {
        Written run(Connection connection) throws SQLException;
    }

    /** Where in the transaction a write failed. */
    public enum Phase {
        /** Starting the transaction: nothing was sent. */
        BEGIN,
        /** Running the statement: it did not commit. */
        STATEMENT,
        /** Inserting the entry: the statement did not commit either. */
        ENTRY,
        /** Committing: the write may or may not have committed. */
        COMMIT
    }

    /** A write that failed in the ledger's transaction. */
    public static final class Failure extends Exception {
        private final Phase phase;
        private final transient SQLException sqlCause;

        Failure(Phase phase, Throwable cause) {
            super(phase + ": " + cause, cause, false, false);
            this.phase = phase;
            this.sqlCause = io.sqlgate.proxy.nodes.DatabaseErrors.sqlCause(cause);
        }

        public Phase phase() {
            return phase;
        }

        /** The database's error behind the failure, or null when there is none (then it is the proxy's). */
        @Nullable
        public SQLException sqlCause() {
            return sqlCause;
        }

    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Runs the statement and inserts its entry in one transaction on {@code connection}, and commits.
     *
     * @throws Failure naming the phase the write failed in
     */
    public Written record(Connection connection, String node, WriteRecord write, WriteStatement statement) throws Failure {
        Phase[] phase = {Phase.BEGIN};
        // The first failure is the one that says what happened: the rollback that follows a broken connection
        // fails too, and Micronaut may throw that one instead.
        Exception[] first = {null};
        Written[] done = {null};
        boolean[] committed = {false};
        WriterConnection.Binding binding = WriterConnection.bind(connection);
        try (binding) {
            Written written = transactions.executeWrite(status -> {
                // Once the commit is acknowledged, the write is made whatever fails after it (restoring auto-commit).
                status.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        committed[0] = true;
                    }
                });
                try {
                    phase[0] = Phase.STATEMENT;
                    done[0] = statement.run(status.getConnection());
                    phase[0] = Phase.ENTRY;
                    entries.save(entry(write, node, done[0]));
                    phase[0] = Phase.COMMIT;
                    return done[0];
                } catch (Exception e) {
                    first[0] = e;
                    throw e;
                }
            });
            recorded.increment();
            return written;
        } catch (Exception e) {
            if (committed[0]) {
                recorded.increment();
                return done[0];
            }
            // the statement's SQLException as thrown, or Micronaut's wrapping of a failed begin, save or commit
            Exception cause = first[0] != null ? first[0] : binding.firstFailure() != null ? binding.firstFailure() : e;
            throw new Failure(phase[0], cause);
        }
    }

    /**
     * The entries a search finds, on {@code connection} (the writer's, which holds every committed entry), newest
     * first: at most {@code search.limit()} of them, and one more when there are more (so that a page knows whether
     * it is the last).
     *
     * @param table    the table filter, qualified, or null
     * @param prepared told of the search's statement before it runs: to bound it, and to cancel it
     */
    public List<AuditEntry> search(Connection connection, AuditQuery.Checked search, @Nullable String table, Prepared prepared) {
        try (WriterConnection.Binding ignored = WriterConnection.bind(connection, prepared::statement)) {
            return entries.search(search.requestId(), search.keyName(), table, time(search.from()), time(search.to()),
                    search.before() == null ? null : time(search.before().recordedAt()),
                    search.before() == null ? 0 : search.before().id(), search.limit() + 1);
        }
    }

    /** Told of the search's statement before it runs. */
    public interface Prepared {
        void statement(java.sql.Statement statement) throws SQLException;
    }

    private static String time(java.time.Instant instant) {
        return instant == null ? null : MicrosecondTime.FORMAT.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    /**
     * The entry of a write. Its digest is of the whole digest text; the text kept, and the values when they are kept,
     * are cut at {@link #MAX_TEXT} characters, so that no client makes one entry large (in NDB the ledger is in the
     * data nodes' memory).
     */
    private AuditEntry entry(WriteRecord write, String node, Written written) {
        return new AuditEntry(null, LocalDateTime.now(ZoneOffset.UTC), write.requestId(), write.keyName(), write.route(),
                Sha256.hex(write.digestText()), cut(write.digestText()), cut(String.join(",", write.tables())),
                written.affectedRows(), node, recordParams && !write.params().isEmpty() ? cut(params(write.params())) : null);
    }

    /** Characters of text an entry keeps at most in each of its texts. */
    static final int MAX_TEXT = 2048;

    private static String cut(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }

    private String params(List<Object> params) {
        try {
            return json.writeValueAsString(params);
        } catch (IOException e) {
            return params.toString();
        }
    }
}

package io.sqlgate.proxy.nodes;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.jdbc.JdbcConnection;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An application connection taken from a node's pool for one request. Closing it resets the session before the
 * connection goes back, so that nothing one request left on it (user variables, temporary tables, session
 * variables, named locks, an open transaction, prepared statements, the current database) reaches the next;
 * a connection that cannot be reset is evicted, never returned. HikariCP has no hook on return, hence this.
 * The reset costs four round trips and as many statements on the node, so it is skipped for a statement
 * proven unable to leave anything ({@link io.sqlgate.sql.SqlPolicy#provenStateless}): every statement
 * the tiers let through, not any other.
 *
 * <p>The reset is Connector/J's {@code resetServerState}: COM_RESET_CONNECTION, then the driver sets the
 * character set again, re-applies the URL's {@code sessionVariables} (the row cap and, on read nodes,
 * {@code wsrep_sync_wait}; see {@link NodePools}) and auto-commit, so its local session state matches the
 * server's. COM_RESET_CONNECTION keeps the current database, so a {@code USE} goes back to the pool's.
 */
public final class BorrowedConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BorrowedConnection.class);

    private final HikariDataSource pool;
    private final Connection connection;
    private final boolean resetOnReturn;
    private boolean abandoned;

    BorrowedConnection(HikariDataSource pool, boolean resetOnReturn) throws SQLException {
        this.pool = pool;
        this.connection = pool.getConnection();
        this.resetOnReturn = resetOnReturn;
    }

    public Connection connection() {
        return connection;
    }

    /**
     * Closes the connection's socket at once, leaving whatever the node still sends unread (a result too large to
     * read to its end); closing it then evicts it from the pool. The node's thread stops when its next write fails.
     */
    public void abandon() {
        abandoned = true;
        try {
            connection.unwrap(JdbcConnection.class).abortInternal();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Aborting a connection of pool {} failed: {}", pool.getPoolName(), e.toString());
        }
    }

    /** Resets the session when it must and returns the connection to its pool, or evicts it; never throws. */
    @Override
    public void close() {
        if (abandoned) {
            // Marked evicted, then given back: HikariCP closes an evicted connection when it comes back. (Evicting
            // alone would leave the pool's entry in use for good, the connection being closed already.)
            pool.evictConnection(connection);
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.warn("Giving back an abandoned connection of pool {} failed: {}", pool.getPoolName(), e.toString());
            }
            return;
        }
        try {
            if (resetOnReturn) {
                reset(connection);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Evicting a connection of pool {} whose session could not be reset: {}", pool.getPoolName(), e.toString());
            pool.evictConnection(connection);
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Closing a connection of pool {} failed: {}", pool.getPoolName(), e.toString());
        }
    }

    static void reset(Connection connection) throws SQLException {
        JdbcConnection driver = connection.unwrap(JdbcConnection.class);
        // With paranoid=true the driver makes resetServerState a silent no-op: refuse rather than trust it.
        if (driver.getPropertySet().getBooleanProperty(PropertyKey.paranoid).getValue()) {
            throw new SQLException("the session cannot be reset with the driver property paranoid=true");
        }
        driver.resetServerState();
        // The driver keeps the database of the URL as its own idea of the current one, whatever USE ran since.
        String database = driver.getDatabase();
        if (database != null && !database.isEmpty()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("USE `" + database.replace("`", "``") + "`");
            }
        }
    }
}

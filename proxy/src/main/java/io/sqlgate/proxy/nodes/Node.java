package io.sqlgate.proxy.nodes;

import com.zaxxer.hikari.HikariDataSource;

import java.sql.SQLException;

/**
 * A configured node with its two pools: the application user's, for clients' statements, and the monitoring
 * user's, for pings, so that a saturated application pool never hides a healthy node.
 *
 * @param writable whether the monitor may make it the writer
 */
public record Node(String name, boolean writable, HikariDataSource pool, HikariDataSource monitorPool) {

    /**
     * An application connection for one request (see {@link BorrowedConnection}).
     *
     * @param resetOnReturn whether closing it resets its session: true unless the statement is proven to leave nothing
     */
    public BorrowedConnection borrow(boolean resetOnReturn) throws SQLException {
        return new BorrowedConnection(pool, resetOnReturn);
    }

    /** Retires every pooled application connection: after the node went away they are all broken. */
    public void evictConnections() {
        if (pool.getHikariPoolMXBean() != null) {
            pool.getHikariPoolMXBean().softEvictConnections();
        }
    }
}

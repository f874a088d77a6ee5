package io.sqlgate.proxy.audit;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;

/**
 * The data source of Micronaut's transactions and of the ledger's repository: the connection of the write this
 * thread is running, on the node the router chose for it, which {@link AuditLedger} binds for the transaction's
 * length. Closing what it hands out does nothing: the request borrowed the connection from its node's pool and
 * gives it back itself, its session reset if need be ({@code BorrowedConnection}).
 */
@Singleton
@Named("default")
public final class WriterConnection implements DataSource {
    private static final ThreadLocal<Binding> BOUND = new ThreadLocal<>();

    /**
     * Makes {@code connection} this thread's until the returned binding is closed. Static: Micronaut hands out its
     * data source beans wrapped, so the bean is no handle on the binding.
     */
    static Binding bind(Connection connection) {
        return bind(connection, null);
    }

    /** As {@link #bind(Connection)}, and every statement prepared on it is given to {@code prepared} first. */
    static Binding bind(Connection connection, @Nullable Prepared prepared) {
        if (BOUND.get() != null) {
            throw new IllegalStateException("a write is being recorded on this thread already");
        }
        Binding binding = new Binding(connection, prepared);
        BOUND.set(binding);
        return binding;
    }

    /** Told of each statement prepared on a bound connection: to bound it in time, or to cancel it. */
    interface Prepared {
        void statement(Statement statement) throws SQLException;
    }

    /** A connection bound to a thread, and the first error it gave while bound. */
    static final class Binding implements AutoCloseable {
        private final Connection connection;
        private final Prepared prepared;
        private SQLException firstFailure;

        private Binding(Connection connection, Prepared prepared) {
            this.connection = connection;
            this.prepared = prepared;
        }

        /**
         * The first error the connection gave (starting the transaction, committing, rolling back), or null: the
         * one that says what happened, since once a connection breaks its pool closes it, and every later call,
         * the rollback's included, only says it is closed.
         */
        SQLException firstFailure() {
            return firstFailure;
        }

        @Override
        public void close() {
            BOUND.remove();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        Binding binding = BOUND.get();
        if (binding == null) {
            throw new SQLException("no write is being recorded on this thread");
        }
        Connection connection = binding.connection;
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close":
                            return null;
                        case "unwrap":
                            if (((Class<?>) args[0]).isInstance(proxy)) {
                                return proxy;
                            }
                            break;
                        case "equals":
                            return proxy == args[0];
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        default:
                            break;
                    }
                    try {
                        Object result = method.invoke(connection, args);
                        if (binding.prepared != null && result instanceof Statement statement) {
                            binding.prepared.statement(statement);
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        if (e.getCause() instanceof SQLException failure && binding.firstFailure == null) {
                            binding.firstFailure = failure;
                        }
                        throw e.getCause();
                    }
                });
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no log writer
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // connections are the pools'
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}

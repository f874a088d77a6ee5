package io.sqlgate.proxy.audit;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
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
        if (BOUND.get() != null) {
            throw new IllegalStateException("a write is being recorded on this thread already");
        }
        Binding binding = new Binding(connection);
        BOUND.set(binding);
        return binding;
    }

    /** A connection bound to a thread, and the first error it gave while bound. */
    static final class Binding implements AutoCloseable {
        private final Connection connection;
        private SQLException firstFailure;

        private Binding(Connection connection) {
            this.connection = connection;
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
                        return method.invoke(connection, args);
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

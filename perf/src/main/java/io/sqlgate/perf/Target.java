package io.sqlgate.perf;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sqlgate.hop.signing.HopSigner;
import io.sqlgate.testkit.Chain;
import io.sqlgate.testkit.HttpConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What a worker calls: direct JDBC, the proxy alone (signed as the trusted host signs), or the gatekeeper. */
abstract class Target implements AutoCloseable {
    private final String name;

    Target(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** One worker's own caller (its own connection where there is one). */
    abstract Caller caller();

    @Override
    public void close() {
    }

    interface Caller extends AutoCloseable {
        /** Sends one statement; true when it succeeded. */
        boolean call(Workload.Statement statement) throws Exception;

        @Override
        default void close() {
        }
    }

    /** The limit: the same statements on the primary through a HikariCP pool sized like the proxy's. */
    static final class Jdbc extends Target {
        private final HikariDataSource pool;

        Jdbc(String url, String user, String password, int poolSize) {
            super("direct JDBC");
            HikariConfig config = new HikariConfig();
            config.setPoolName("bench-jdbc");
            config.setJdbcUrl(url);
            config.setUsername(user);
            config.setPassword(password);
            config.setMaximumPoolSize(poolSize);
            config.setMinimumIdle(poolSize);
            config.setConnectionTimeout(10_000);
            // The same driver settings as the proxy's pools.
            config.addDataSourceProperty("cachePrepStmts", "true");
            config.addDataSourceProperty("prepStmtCacheSize", "256");
            config.addDataSourceProperty("prepStmtCacheSqlLimit", "2048");
            config.addDataSourceProperty("useLocalSessionState", "true");
            config.addDataSourceProperty("tcpKeepAlive", "true");
            this.pool = new HikariDataSource(config);
        }

        @Override
        Caller caller() {
            return statement -> {
                boolean write = !statement.sql().startsWith("SELECT");
                try (Connection connection = pool.getConnection();
                     PreparedStatement prepared = connection.prepareStatement(statement.sql(),
                             write ? Statement.RETURN_GENERATED_KEYS : Statement.NO_GENERATED_KEYS)) {
                    for (int i = 0; i < statement.params().size(); i++) {
                        prepared.setObject(i + 1, statement.params().get(i));
                    }
                    if (write) {
                        prepared.executeLargeUpdate();
                        try (ResultSet keys = prepared.getGeneratedKeys()) {
                            while (keys.next()) {
                                keys.getObject(1);
                            }
                        }
                    } else {
                        try (ResultSet rows = prepared.executeQuery()) {
                            int width = rows.getMetaData().getColumnCount();
                            while (rows.next()) {
                                for (int i = 1; i <= width; i++) {
                                    rows.getObject(i);
                                }
                            }
                        }
                    }
                    return true;
                }
            };
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /**
     * HTTP to a tier's /query, with a strategy, and either a hop signature or an API key. The clients take the keys in
     * turn: each key carries an equal share of them, within the limits the proxy sets per key.
     */
    static final class Http extends Target {
        private static final AtomicLong IDS = new AtomicLong();
        private final int port;
        private final HopSigner signer;
        private final List<Chain.ApiKey> keys;
        private final String strategy;
        private final AtomicInteger callers = new AtomicInteger();

        /** @param signer signs each request as the trusted host does, naming the key; null to send the key's secret */
        Http(String name, int port, HopSigner signer, List<Chain.ApiKey> keys, String strategy) {
            super(name);
            this.port = port;
            this.signer = signer;
            this.keys = List.copyOf(keys);
            this.strategy = strategy;
        }

        @Override
        Caller caller() {
            HttpConnection connection = new HttpConnection("127.0.0.1", port, Duration.ofSeconds(30));
            Chain.ApiKey key = keys.get(callers.getAndIncrement() % keys.size());
            String signedKey = signer != null ? key.name() : null;
            return new Caller() {
                @Override
                public boolean call(Workload.Statement statement) throws Exception {
                    byte[] body = Workload.body(statement, strategy, signedKey);
                    String requestId = "bench-" + IDS.incrementAndGet();
                    int status;
                    if (signer != null) {
                        long now = System.currentTimeMillis();
                        status = connection.post("/query", body, "X-Request-Id", requestId, "X-Hop-Timestamp", Long.toString(now),
                                "X-Hop-Signature", signer.sign("POST", "/query", now, requestId, body));
                    } else {
                        status = connection.post("/query", body, "X-Request-Id", requestId, "Authorization", "Bearer " + key.secret());
                    }
                    return status == 200;
                }

                @Override
                public void close() {
                    connection.close();
                }
            };
        }
    }
}

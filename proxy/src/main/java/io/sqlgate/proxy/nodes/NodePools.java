package io.sqlgate.proxy.nodes;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.sqlgate.proxy.ProxyConfiguration;
import jakarta.annotation.PreDestroy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens one bounded HikariCP pool per node and closes them all at shutdown. Pools start even when their
 * node is down: the monitor, not start-up, decides what is usable.
 */
@Context
public final class NodePools implements AutoCloseable {
    private final Map<String, Node> nodes;
    private final List<HikariDataSource> pools = new ArrayList<>();

    public NodePools(List<NodeConfiguration> configured, ProxyConfiguration configuration, MeterRegistry meters) {
        long primaries = configured.stream().filter(n -> n.role() == NodeRole.PRIMARY).count();
        if (primaries != 1) {
            throw new ConfigurationException("proxy.nodes must name exactly one node with role PRIMARY; found " + primaries
                    + " among " + configured.stream().map(NodeConfiguration::name).toList());
        }
        ProxyConfiguration.Database database = configuration.database();
        ProxyConfiguration.Monitor monitor = configuration.monitor();
        Map<String, Node> byName = new LinkedHashMap<>();
        List<NodeConfiguration> ordered = new ArrayList<>(configured);
        ordered.sort((a, b) -> a.role() == b.role() ? a.name().compareTo(b.name()) : a.role().compareTo(b.role()));
        for (NodeConfiguration node : ordered) {
            // A socket timeout above the query timeout is the last guard against a node that stops answering.
            // The row cap of reads (max rows, plus one to tell that there were more) is a session variable of the
            // connection, not a per-statement setMaxRows, which makes the driver send SET SQL_SELECT_LIMIT whenever a
            // pooled connection goes from reads to writes and back. It applies to SELECTs returning rows only. It
            // goes in the URL's sessionVariables because the driver sets those again after each session reset
            // (BorrowedConnection), as it does the read nodes' wsrep_sync_wait; an init SQL would be lost there.
            String url = withSessionVariable(node.url(), "sql_select_limit", Long.toString((long) database.maxRows() + 1));
            // The node stops a statement by itself shortly before the proxy's own timeout would cancel it, so that
            // nothing keeps running on the node after the proxy gave up on it, even if the proxy is gone.
            url = withSessionVariable(url, "max_statement_time", serverStatementTime(database.queryTimeout()));
            // Nor does the driver read a row larger than a whole answer may be: it refuses the packet unread. Reads
            // stream (QueryExecutor); without netTimeoutForStreamingResults=0 the driver would wrap each one in two
            // SET net_write_timeout statements.
            Map<String, String> driver = Map.of("maxAllowedPacket",
                    Long.toString(Math.min(Integer.MAX_VALUE, Math.max(database.maxResultBytes(), MIN_PACKET_BYTES))),
                    "netTimeoutForStreamingResults", "0");
            HikariDataSource app = open(node, url, "app", database.username(), database.password(), database.poolSize(),
                    database.connectionTimeout(), database.queryTimeout().plusSeconds(5), driver, meters);
            // The monitoring user may see no database, so its pool connects to none.
            HikariDataSource ping = open(node, withoutDatabase(node.url()), "monitor", monitor.username(), monitor.password(), 1,
                    monitor.timeout(), monitor.timeout(), Map.of(), null);
            byName.put(node.name(), new Node(node.name(), node.role(), app, ping));
        }
        this.nodes = Collections.unmodifiableMap(byName);
    }

    /**
     * The driver's packet bound is also the largest statement it sends: up to twice the proxy's largest request
     * (256 KB, values escaped into the text), well within this.
     */
    private static final long MIN_PACKET_BYTES = 1L << 20;

    /** 90 % of the proxy's query timeout, in seconds, at least 0.5 s: {@code 10s} gives {@code 9.000}. */
    static String serverStatementTime(Duration queryTimeout) {
        long millis = Math.max(500, queryTimeout.toMillis() * 9 / 10);
        return String.format(java.util.Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
    }

    /** {@code jdbc:mysql://host:3306/main_db?x=y} becomes {@code jdbc:mysql://host:3306/?x=y}. */
    static String withoutDatabase(String url) {
        int hosts = url.indexOf("//");
        if (hosts < 0) {
            return url;
        }
        int path = url.indexOf('/', hosts + 2);
        if (path < 0) {
            return url;
        }
        int query = url.indexOf('?', path);
        return url.substring(0, path + 1) + (query < 0 ? "" : url.substring(query));
    }

    /**
     * Adds {@code name=value} to the URL's {@code sessionVariables}, last, so that it wins over the same variable
     * set earlier: {@code jdbc:mysql://h/db?sessionVariables=a=1} becomes {@code ...?sessionVariables=a=1,name=value}.
     * A data-source property of the same name would not add to the URL's: the driver reads one {@code sessionVariables}.
     */
    static String withSessionVariable(String url, String name, String value) {
        String setting = name + "=" + value;
        int query = url.indexOf('?');
        if (query < 0) {
            return url + "?sessionVariables=" + setting;
        }
        String key = "sessionVariables=";
        for (int start = query + 1; start < url.length(); ) {
            int end = url.indexOf('&', start);
            if (end < 0) {
                end = url.length();
            }
            if (url.startsWith(key, start)) {
                String existing = url.substring(start + key.length(), end);
                String merged = existing.isEmpty() ? setting : existing + "," + setting;
                return url.substring(0, start + key.length()) + merged + url.substring(end);
            }
            start = end + 1;
        }
        return url + (url.endsWith("?") || url.endsWith("&") ? "" : "&") + "sessionVariables=" + setting;
    }

    private HikariDataSource open(NodeConfiguration node, String url, String purpose, String user, String password, int size,
                                 Duration connectTimeout, Duration socketTimeout, Map<String, String> driver, MeterRegistry meters) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(node.name() + "-" + purpose);
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
        config.setValidationTimeout(Math.max(250, Math.min(connectTimeout.toMillis(), 1000)));
        config.setInitializationFailTimeout(-1);
        config.setKeepaliveTime(Duration.ofSeconds(30).toMillis());
        config.setMaxLifetime(Duration.ofMinutes(10).toMillis());
        config.addDataSourceProperty("connectTimeout", Long.toString(connectTimeout.toMillis()));
        config.addDataSourceProperty("socketTimeout", Long.toString(socketTimeout.toMillis()));
        config.addDataSourceProperty("cachePrepStmts", "true");
        config.addDataSourceProperty("prepStmtCacheSize", "256");
        config.addDataSourceProperty("prepStmtCacheSqlLimit", "2048");
        config.addDataSourceProperty("useLocalSessionState", "true");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        driver.forEach(config::addDataSourceProperty);
        if (meters != null) {
            config.setMetricRegistry(meters);
        }
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /** Every node, the primary first, then read nodes by name. */
    public Map<String, Node> nodes() {
        return nodes;
    }

    public Node node(String name) {
        return nodes.get(name);
    }

    @PreDestroy
    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
    }
}

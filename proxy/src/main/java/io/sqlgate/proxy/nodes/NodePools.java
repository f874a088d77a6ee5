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
        if (configured.stream().noneMatch(NodeConfiguration::canWrite)) {
            throw new ConfigurationException("proxy.nodes must have at least one writable node; found "
                    + configured.stream().map(NodeConfiguration::name).toList());
        }
        String preferred = configuration.writer().preferred();
        if (preferred != null && configured.stream().noneMatch(node -> node.name().equals(preferred) && node.canWrite())) {
            throw new ConfigurationException("proxy.writer.preferred names " + preferred + ", which is not a writable node of "
                    + configured.stream().map(NodeConfiguration::name).toList());
        }
        ProxyConfiguration.Database database = configuration.database();
        ProxyConfiguration.Monitor monitor = configuration.monitor();
        Map<String, Node> byName = new LinkedHashMap<>();
        List<NodeConfiguration> ordered = new ArrayList<>(configured);
        ordered.sort(java.util.Comparator.comparing(NodeConfiguration::name));
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
            url = withServerStatementLimit(url, database.serverFlavour(), database.queryTimeout());
            // Nor does the driver read a row larger than a whole answer may be: it refuses the packet unread. Reads
            // stream (QueryExecutor); without netTimeoutForStreamingResults=0 the driver would wrap each one in two
            // SET net_write_timeout statements.
            Map<String, String> driver = Map.of("maxAllowedPacket",
                    Long.toString(Math.min(Integer.MAX_VALUE, Math.max(database.maxResultBytes(), MIN_PACKET_BYTES))),
                    "netTimeoutForStreamingResults", "0");
            HikariDataSource app = open(node, url, "app", database.username(), database.password(), database.poolSize(),
                    database.connectionTimeout(), database.queryTimeout().plusSeconds(5), driver, meters);
            // The monitoring user may see no database, so its pool connects to none. Its pings must not wait for
            // Galera's causality check, which stalls with the cluster for seconds after a peer dies: the node is
            // healthy then, and a ping that waited would time out. Its socket timeout is above the ping's own, so
            // that a slow ping is a timeout (one failure towards the threshold), not a broken connection.
            String monitorUrl = withoutSessionVariable(withoutDatabase(node.url()), "wsrep_sync_wait");
            Duration pingTimeout = monitor.timeout();
            HikariDataSource ping = open(node, monitorUrl, "monitor", monitor.username(), monitor.password(), 1,
                    pingTimeout, pingTimeout.plus(pingTimeout.compareTo(Duration.ofSeconds(1)) > 0 ? pingTimeout : Duration.ofSeconds(1)),
                    Map.of(), null);
            byName.put(node.name(), new Node(node.name(), node.canWrite(), app, ping));
        }
        this.nodes = Collections.unmodifiableMap(byName);
    }

    /**
     * The driver's packet bound is also the largest statement it sends: up to twice the proxy's largest request
     * (256 KB, values escaped into the text), well within this.
     */
    private static final long MIN_PACKET_BYTES = 1L << 20;

    /**
     * The server's own limit on a statement's time, 90 % of the proxy's query timeout (at least 0.5 s), in the
     * server's own variable: MariaDB's {@code max_statement_time} (seconds, every statement; {@code 10s} gives
     * {@code 9.000}), MySQL's {@code max_execution_time} (milliseconds, SELECT only: MySQL has no limit on other
     * statements, which the driver's cancel at the query timeout bounds). A variable the server does not have would
     * fail every connection.
     */
    static String withServerStatementLimit(String url, ProxyConfiguration.ServerFlavour flavour, Duration queryTimeout) {
        long millis = Math.max(500, queryTimeout.toMillis() * 9 / 10);
        return flavour == ProxyConfiguration.ServerFlavour.MYSQL
                ? withSessionVariable(url, "max_execution_time", Long.toString(millis))
                : withSessionVariable(url, "max_statement_time", String.format(java.util.Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000));
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

    /** Removes {@code name=...} from the URL's {@code sessionVariables}, and the parameter if nothing is left. */
    static String withoutSessionVariable(String url, String name) {
        int query = url.indexOf('?');
        if (query < 0) {
            return url;
        }
        List<String> parameters = new ArrayList<>();
        for (String parameter : url.substring(query + 1).split("&")) {
            if (parameter.startsWith("sessionVariables=")) {
                List<String> kept = new ArrayList<>();
                for (String variable : parameter.substring("sessionVariables=".length()).split(",")) {
                    if (!variable.isEmpty() && !variable.trim().toLowerCase(java.util.Locale.ROOT).startsWith(name + "=")) {
                        kept.add(variable);
                    }
                }
                if (!kept.isEmpty()) {
                    parameters.add("sessionVariables=" + String.join(",", kept));
                }
            } else if (!parameter.isEmpty()) {
                parameters.add(parameter);
            }
        }
        return url.substring(0, query) + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters));
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

    /** Every node, by name. */
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

package io.sqlgate.sysbench.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A system to benchmark: one server or several SQL nodes of a cluster.
 *
 * <p>sysbench combines {@code --mysql-host} and {@code --mysql-port} lists as "every port of the first host,
 * then every port of the next host", handing connections out round-robin over that sequence; {@link
 * #endpoints()} reproduces it so that readiness is checked on exactly the servers sysbench will use.
 *
 * @param passwordEnv the environment variable holding the password, so that no password sits in a file
 */
public record Target(
        String name,
        List<String> hosts,
        List<Integer> ports,
        String user,
        String passwordEnv,
        String database,
        Engine engine) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_$]{1,64}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public Target {
        Objects.requireNonNull(engine, "engine");
        require(name != null && NAME.matcher(name).matches(),
                "target name '" + name + "' must be 1-63 letters, digits, '.', '_' or '-' (it names report files)");
        String where = "target '" + name + "': ";
        require(hosts != null && !hosts.isEmpty(), where + "needs at least one host");
        for (String host : hosts) {
            require(host != null && HOST.matcher(host).matches(), where + "invalid host '" + host + "'");
        }
        require(ports != null && !ports.isEmpty(), where + "needs a port");
        for (Integer port : ports) {
            require(port != null && port > 0 && port < 65536, where + "invalid port " + port);
        }
        require(user != null && !user.isBlank(), where + "needs a user");
        require(passwordEnv != null && ENV_NAME.matcher(passwordEnv).matches(),
                where + "passwordEnv must name an environment variable, got '" + passwordEnv + "'");
        require(database != null && IDENTIFIER.matcher(database).matches(),
                where + "invalid database name '" + database + "'");
        hosts = List.copyOf(hosts);
        ports = List.copyOf(ports);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Every server sysbench connects to, in the order it hands connections out. */
    public List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String host : hosts) {
            for (int port : ports) {
                endpoints.add(new Endpoint(host, port));
            }
        }
        return endpoints;
    }

    /** A one-line description for progress lines and reports, without the password. */
    public String describe() {
        List<String> addresses = endpoints().stream().map(Endpoint::toString).toList();
        return name + " (" + String.join(", ", addresses) + ", " + user + "@" + database + ", " + engine.sqlName() + ")";
    }
}

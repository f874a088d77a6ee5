package io.sqlgate.reliability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a tier's Prometheus page says about its connection pools. */
public final class PoolGauges {
    private static final Pattern METRIC = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");
    private static final Pattern POOL = Pattern.compile("pool=\"([^\"]*)\"");

    private PoolGauges() {
    }

    /**
     * The {@code hikaricp_connections*} gauges of a Prometheus page: "node1-app connections" -> 16.0,
     * "node1-app active" -> 2.0, "node1-app pending" -> 0.0, ...
     */
    public static Map<String, Double> of(String prometheus) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : prometheus.split("\n")) {
            if (!line.startsWith("hikaricp_connections")) {
                continue;
            }
            Matcher metric = METRIC.matcher(line);
            if (!metric.find()) {
                continue;
            }
            Matcher pool = POOL.matcher(metric.group(2) == null ? "" : metric.group(2));
            String name = metric.group(1).replaceFirst("^hikaricp_connections_?", "");
            out.put((pool.find() ? pool.group(1) : "?") + " " + (name.isEmpty() ? "connections" : name),
                    Double.parseDouble(metric.group(3)));
        }
        return out;
    }
}

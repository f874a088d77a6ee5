package io.sqlgate.sysbench.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one-line target format of {@code --target}, for quick use without a file:
 *
 * <pre>
 * NAME=USER@HOST[,HOST...]:PORT[,PORT...][/DATABASE][?engine=innodb|ndbcluster&amp;passwordEnv=VAR]
 * </pre>
 *
 * e.g. {@code galera-all=sqlgate_bench@127.0.0.1:3311,3312,3313/sbtest}. The database defaults to
 * {@code sbtest}, the engine to {@code innodb} and the password variable to {@value #DEFAULT_PASSWORD_ENV}.
 */
public final class TargetSpec {

    public static final String DEFAULT_PASSWORD_ENV = "SQLGATE_BENCH_PASSWORD";
    public static final String FORMAT =
            "NAME=USER@HOST[,HOST...]:PORT[,PORT...][/DATABASE][?engine=innodb|ndbcluster&passwordEnv=VAR]";

    private static final Pattern SPEC = Pattern.compile(
            "(?<name>[^=]+)=(?<user>[^@]+)@(?<hosts>[^:/?]+):(?<ports>[0-9,]+)(?:/(?<db>[^?]+))?(?:\\?(?<query>.*))?");

    private TargetSpec() {
    }

    public static Target parse(String spec) {
        Matcher m = SPEC.matcher(spec == null ? "" : spec.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid target '" + spec + "': expected " + FORMAT);
        }
        Map<String, String> query = query(m.group("query"), spec);
        String db = m.group("db");
        return new Target(
                m.group("name"),
                split(m.group("hosts")),
                split(m.group("ports")).stream().map(Integer::parseInt).toList(),
                m.group("user"),
                query.getOrDefault("passwordEnv", DEFAULT_PASSWORD_ENV),
                db == null ? TargetsFile.DEFAULT_DATABASE : db,
                Engine.parse(query.getOrDefault("engine", Engine.INNODB.sqlName())));
    }

    private static List<String> split(String list) {
        List<String> items = new ArrayList<>();
        for (String item : list.split(",", -1)) {
            if (item.isBlank()) {
                throw new IllegalArgumentException("empty item in list '" + list + "'");
            }
            items.add(item.trim());
        }
        return items;
    }

    private static Map<String, String> query(String query, String spec) {
        Map<String, String> values = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return values;
        }
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || !(kv[0].equals("engine") || kv[0].equals("passwordEnv"))) {
                throw new IllegalArgumentException("invalid target '" + spec + "': unknown parameter '" + pair
                        + "' (valid: " + Arrays.asList("engine", "passwordEnv") + ")");
            }
            values.put(kv[0], kv[1]);
        }
        return values;
    }
}

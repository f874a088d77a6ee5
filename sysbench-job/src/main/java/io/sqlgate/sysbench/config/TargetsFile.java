package io.sqlgate.sysbench.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the targets file the Kubernetes Job mounts:
 *
 * <pre>
 * targets:
 *   - name: standalone
 *     hosts: [mysql-standalone]
 *     port: 3306                  # or ports: [3311, 3312, 3313]
 *     user: sqlgate_bench
 *     passwordEnv: STANDALONE_BENCH_PASSWORD
 *     database: sbtest
 *     engine: innodb              # innodb | ndbcluster
 * </pre>
 *
 * Unknown keys are errors: a misspelt {@code engine} must not silently benchmark InnoDB.
 */
public final class TargetsFile {

    private static final Set<String> TOP_LEVEL_KEYS = Set.of("targets");
    private static final Set<String> TARGET_KEYS =
            Set.of("name", "hosts", "host", "port", "ports", "user", "passwordEnv", "database", "engine");
    static final String DEFAULT_DATABASE = "sbtest";

    private TargetsFile() {
    }

    public static List<Target> read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read targets file " + file + ": " + e.getMessage(), e);
        }
    }

    public static List<Target> parse(Reader reader, String source) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        if (!(document instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException(source + ": expected a mapping with a 'targets' list");
        }
        checkKeys(root, TOP_LEVEL_KEYS, source);
        if (!(root.get("targets") instanceof List<?> entries) || entries.isEmpty()) {
            throw new IllegalArgumentException(source + ": 'targets' must be a non-empty list");
        }
        List<Target> targets = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = source + ": targets[" + i + "]";
            if (!(entries.get(i) instanceof Map<?, ?> entry)) {
                throw new IllegalArgumentException(where + " must be a mapping");
            }
            Target target;
            try {
                target = toTarget(entry, where);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith(source) ? e.getMessage()
                        : where + ": " + e.getMessage(), e);
            }
            if (!names.add(target.name())) {
                throw new IllegalArgumentException(where + ": duplicate target name '" + target.name() + "'");
            }
            targets.add(target);
        }
        return List.copyOf(targets);
    }

    private static Target toTarget(Map<?, ?> entry, String where) {
        checkKeys(entry, TARGET_KEYS, where);
        if (entry.containsKey("host") && entry.containsKey("hosts")) {
            throw new IllegalArgumentException(where + ": give either 'host' or 'hosts', not both");
        }
        if (entry.containsKey("port") && entry.containsKey("ports")) {
            throw new IllegalArgumentException(where + ": give either 'port' or 'ports', not both");
        }
        List<String> hosts = entry.containsKey("host")
                ? List.of(string(entry, "host", where))
                : stringList(entry.get("hosts"), "hosts", where);
        List<Integer> ports = entry.containsKey("port")
                ? List.of(integer(entry.get("port"), "port", where))
                : intList(entry.get("ports"), where);
        Object database = entry.get("database");
        Object engine = entry.get("engine");
        return new Target(
                string(entry, "name", where),
                hosts,
                ports,
                string(entry, "user", where),
                string(entry, "passwordEnv", where),
                database == null ? DEFAULT_DATABASE : database.toString(),
                engine == null ? Engine.INNODB : Engine.parse(engine.toString()));
    }

    private static void checkKeys(Map<?, ?> map, Set<String> allowed, String where) {
        for (Object key : map.keySet()) {
            if (!allowed.contains(String.valueOf(key))) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (valid: "
                        + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static String string(Map<?, ?> map, String key, String where) {
        Object value = map.get(key);
        if (value == null || value instanceof Map || value instanceof List) {
            throw new IllegalArgumentException(where + ": '" + key + "' is required and must be a single value");
        }
        return value.toString();
    }

    private static List<String> stringList(Object value, String key, String where) {
        if (value == null) {
            throw new IllegalArgumentException(where + ": 'hosts' (or 'host') is required");
        }
        if (!(value instanceof List<?> list)) {
            return List.of(value.toString());
        }
        List<String> strings = new ArrayList<>();
        for (Object item : list) {
            if (item == null || item instanceof Map || item instanceof List) {
                throw new IllegalArgumentException(where + ": '" + key + "' must be a list of names");
            }
            strings.add(item.toString());
        }
        return strings;
    }

    private static List<Integer> intList(Object value, String where) {
        if (value == null) {
            throw new IllegalArgumentException(where + ": 'port' (or 'ports') is required");
        }
        if (!(value instanceof List<?> list)) {
            return List.of(integer(value, "ports", where));
        }
        List<Integer> ints = new ArrayList<>();
        for (Object item : list) {
            ints.add(integer(item, "ports", where));
        }
        return ints;
    }

    private static int integer(Object value, String key, String where) {
        if (value instanceof Integer i) {
            return i;
        }
        try {
            return Integer.parseInt(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + key + "' must be a port number, got '" + value + "'");
        }
    }
}

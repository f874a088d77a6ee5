package io.sqlgate.sysbench.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The storage engine the sysbench tables must use on a target; checked after prepare. */
public enum Engine {
    INNODB("innodb"),
    NDBCLUSTER("ndbcluster");

    private final String sqlName;

    Engine(String sqlName) {
        this.sqlName = sqlName;
    }

    /** The name sysbench takes in {@code --mysql-storage-engine} and the server reports in information_schema. */
    @JsonValue
    public String sqlName() {
        return sqlName;
    }

    /** Parses strictly: an unknown name is an error that lists the valid ones. */
    public static Engine parse(String name) {
        if (name != null) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (Engine engine : values()) {
                if (engine.sqlName.equals(wanted)) {
                    return engine;
                }
            }
        }
        throw new IllegalArgumentException("unknown engine '" + name + "' (valid: " + validNames() + ")");
    }

    public static String validNames() {
        return Arrays.stream(values()).map(Engine::sqlName).collect(Collectors.joining(", "));
    }

    /** True when the ENGINE column of information_schema.TABLES names this engine (servers vary the case). */
    public boolean matches(String reported) {
        return reported != null && reported.equalsIgnoreCase(sqlName);
    }
}

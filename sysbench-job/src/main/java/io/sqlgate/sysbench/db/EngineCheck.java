package io.sqlgate.sysbench.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sqlgate.sysbench.config.Endpoint;
import io.sqlgate.sysbench.config.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verdict on whether every sysbench table exists with the expected engine on every SQL node of a target:
 * the proof that an "NDB" benchmark really ran on NDB tables.
 *
 * @param engines per endpoint, table name to the engine the server reports
 */
public record EngineCheck(Engine expected, List<String> tables, Map<String, Map<String, String>> engines,
                          List<String> problems) {

    public EngineCheck {
        tables = List.copyOf(tables);
        engines = Map.copyOf(engines);
        problems = List.copyOf(problems);
    }

    @JsonProperty
    public boolean verified() {
        return problems.isEmpty();
    }

    public static EngineCheck of(Engine expected, List<String> tables, Map<Endpoint, Map<String, String>> found) {
        Map<String, Map<String, String>> engines = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Endpoint, Map<String, String>> entry : found.entrySet()) {
            Map<String, String> byTable = new TreeMap<>(entry.getValue());
            engines.put(entry.getKey().toString(), byTable);
            List<String> missing = new ArrayList<>();
            List<String> wrong = new ArrayList<>();
            for (String table : tables) {
                String engine = byTable.get(table);
                if (engine == null) {
                    missing.add(table);
                } else if (!expected.matches(engine)) {
                    wrong.add(table + "=" + engine);
                }
            }
            if (!missing.isEmpty()) {
                problems.add(entry.getKey() + ": missing tables " + String.join(", ", missing));
            }
            if (!wrong.isEmpty()) {
                problems.add(entry.getKey() + ": expected ENGINE=" + expected.sqlName() + " but found "
                        + String.join(", ", wrong));
            }
        }
        if (found.isEmpty()) {
            problems.add("no server was checked");
        }
        return new EngineCheck(expected, tables, engines, problems);
    }
}

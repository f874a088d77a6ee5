package io.sqlgate.client;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The original project's client: writes through {@code /populate_tables} (20 per table by default), then
 * reads through each of {@code /fetch_direct}, {@code /fetch_random} and {@code /fetch_customized}
 * (20 each), each read on its own table, exactly the statements the original sent.
 */
public final class Scenario {
    public static final List<String> TABLES = List.of("direct_table", "random_table", "customized_table");
    public static final List<String> READ_ROUTES = List.of("/fetch_direct", "/fetch_random", "/fetch_customized");

    private final GatekeeperClient client;
    private final int writesPerTable;
    private final int readsPerRoute;

    public Scenario(GatekeeperClient client, int writesPerTable, int readsPerRoute) {
        this.client = client;
        this.writesPerTable = writesPerTable;
        this.readsPerRoute = readsPerRoute;
    }

    public List<Answer> run(Consumer<String> progress) {
        List<Answer> answers = new ArrayList<>();
        for (String table : TABLES) {
            for (int i = 0; i < writesPerTable; i++) {
                answers.add(client.post("/populate_tables", "{\"sql\": \"INSERT INTO " + table
                        + " (column1, column2) VALUES ('column1_value', 'column2_value')\"}"));
            }
            progress.accept("wrote " + writesPerTable + " rows into " + table);
        }
        for (int r = 0; r < READ_ROUTES.size(); r++) {
            String route = READ_ROUTES.get(r);
            for (int i = 0; i < readsPerRoute; i++) {
                answers.add(client.post(route, "{\"sql\": \"SELECT * FROM " + TABLES.get(r) + " LIMIT 1\"}"));
            }
            progress.accept("read " + readsPerRoute + " times through " + route);
        }
        return answers;
    }
}

package io.sqlgate.sysbench;

import io.sqlgate.sysbench.config.Endpoint;
import io.sqlgate.sysbench.config.Target;
import io.sqlgate.sysbench.db.RowCheck;
import io.sqlgate.sysbench.db.TargetDatabase;
import io.sqlgate.sysbench.db.TargetNotReadyException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Servers that are ready (or never are) and report one engine for every table, and tables holding ids
 * 1..{@code rows} in steps of {@code idStep}.
 */
final class FakeTargetDatabase implements TargetDatabase {

    final List<String> awaited = new CopyOnWriteArrayList<>();
    private final String engine;
    private final boolean ready;
    private long rows = 500;
    private long idStep = 1;

    private FakeTargetDatabase(String engine, boolean ready) {
        this.engine = engine;
        this.ready = ready;
    }

    static FakeTargetDatabase reporting(String engine) {
        return new FakeTargetDatabase(engine, true);
    }

    static FakeTargetDatabase neverReady() {
        return new FakeTargetDatabase(null, false);
    }

    FakeTargetDatabase withRows(long count, long step) {
        this.rows = count;
        this.idStep = step;
        return this;
    }

    @Override
    public void awaitReady(Target target, String password, Duration timeout, Consumer<String> progress) {
        awaited.add(target.name());
        if (!ready) {
            throw new TargetNotReadyException(target.name() + ": " + target.endpoints().get(0)
                    + " did not accept connections within " + timeout.toSeconds() + " s: Connection refused", null);
        }
    }

    @Override
    public Map<Endpoint, Map<String, String>> tableEngines(Target target, String password, List<String> tables) {
        Map<Endpoint, Map<String, String>> result = new LinkedHashMap<>();
        for (Endpoint endpoint : target.endpoints()) {
            Map<String, String> engines = new LinkedHashMap<>();
            tables.forEach(table -> engines.put(table, engine));
            result.put(endpoint, engines);
        }
        return result;
    }

    @Override
    public Map<String, RowCheck.TableRows> tableRows(Target target, String password, List<String> tables) {
        Map<String, RowCheck.TableRows> result = new LinkedHashMap<>();
        tables.forEach(table -> result.put(table, new RowCheck.TableRows(rows, 1, 1 + (rows - 1) * idStep)));
        return result;
    }
}

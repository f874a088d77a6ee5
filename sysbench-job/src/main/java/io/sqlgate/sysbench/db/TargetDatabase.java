package io.sqlgate.sysbench.db;

import io.sqlgate.sysbench.config.Endpoint;
import io.sqlgate.sysbench.config.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** What the runner asks of a target's servers directly, beside sysbench. */
public interface TargetDatabase {

    /**
     * Returns once every endpoint of the target answers a real query, or throws {@link TargetNotReadyException}
     * when the timeout passes or the server refuses the credentials (which waiting cannot fix).
     */
    void awaitReady(Target target, String password, Duration timeout, Consumer<String> progress);

    /** The ENGINE of each named table that exists, as information_schema.TABLES reports it on each endpoint. */
    Map<Endpoint, Map<String, String>> tableEngines(Target target, String password, List<String> tables);

    /** Row count and id range of each named table that exists, read on the target's first endpoint. */
    Map<String, RowCheck.TableRows> tableRows(Target target, String password, List<String> tables);
}

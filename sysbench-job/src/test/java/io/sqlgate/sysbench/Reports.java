package io.sqlgate.sysbench;

import io.sqlgate.sysbench.config.Endpoint;
import io.sqlgate.sysbench.config.Engine;
import io.sqlgate.sysbench.config.Workload;
import io.sqlgate.sysbench.db.EngineCheck;
import io.sqlgate.sysbench.db.RowCheck;
import io.sqlgate.sysbench.sysbench.SysbenchOutputParser;
import io.sqlgate.sysbench.sysbench.SysbenchResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reports built from the captured sysbench outputs. */
public final class Reports {

    public static final Workload ORIGINAL = new Workload("oltp_read_write", 10, 10_000, 4, 60, 0, null, List.of());

    private Reports() {
    }

    /** The original project's published comparison: standalone, then the cluster. */
    public static BenchmarkReport original() {
        return report(ORIGINAL, target("standalone", "original-published-standalone.txt", 1),
                target("mysql-cluster", "original-published-cluster.txt", 1));
    }

    public static BenchmarkReport report(Workload workload, TargetResult... results) {
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        return new BenchmarkReport(workload, results[0].result().sysbenchVersion(), 2, start, start.plusSeconds(200),
                List.of(results), null);
    }

    public static TargetResult target(String name, String fixture, int servers) {
        SysbenchResult result = SysbenchOutputParser.parseRun(Fixtures.sysbenchOutput(fixture));
        List<String> endpoints = new ArrayList<>();
        for (int i = 1; i <= servers; i++) {
            endpoints.add("127.0.0.1:" + (3310 + i));
        }
        Map<Endpoint, Map<String, String>> engines = new LinkedHashMap<>();
        engines.put(new Endpoint("127.0.0.1", 3311), Map.of("sbtest1", "InnoDB"));
        EngineCheck check = EngineCheck.of(Engine.INNODB, List.of("sbtest1"), engines);
        RowCheck rows = RowCheck.of(10_000, List.of("sbtest1"), Map.of("sbtest1", new RowCheck.TableRows(10_000, 1, 10_000)));
        return new TargetResult(name, "innodb", endpoints, check, rows, result, Map.of("run", result.totalTimeSeconds()),
                1.5);
    }
}

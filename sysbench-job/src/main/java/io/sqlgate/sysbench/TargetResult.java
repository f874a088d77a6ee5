package io.sqlgate.sysbench;

import io.sqlgate.sysbench.config.Target;
import io.sqlgate.sysbench.db.EngineCheck;
import io.sqlgate.sysbench.db.RowCheck;
import io.sqlgate.sysbench.sysbench.SysbenchResult;
import java.util.List;
import java.util.Map;

/**
 * One target's complete benchmark.
 *
 * @param rowCheck    whether the prepared tables hold ids 1..table-size
 * @param stepSeconds how long each step took, by step name
 * @param loadAverage the host's one-minute load average just before the run step, or a negative number when
 *                    the platform does not tell: on a shared machine it says how much else was running
 */
public record TargetResult(
        String name,
        String engine,
        List<String> endpoints,
        EngineCheck engineCheck,
        RowCheck rowCheck,
        SysbenchResult result,
        Map<String, Double> stepSeconds,
        double loadAverage) {

    public TargetResult {
        endpoints = List.copyOf(endpoints);
        stepSeconds = Map.copyOf(stepSeconds);
    }

    static TargetResult of(Target target, EngineCheck engineCheck, RowCheck rowCheck, SysbenchResult result,
                           Map<String, Double> stepSeconds, double loadAverage) {
        return new TargetResult(target.name(), target.engine().sqlName(),
                target.endpoints().stream().map(Object::toString).toList(), engineCheck, rowCheck, result, stepSeconds,
                loadAverage);
    }
}

package io.sqlgate.sysbench;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sqlgate.sysbench.config.Workload;
import java.time.Instant;
import java.util.List;

/**
 * Everything one invocation measured, in target order (the first target is the baseline of the ratios).
 *
 * @param failure the step that stopped the benchmark, or null when every target completed
 */
public record BenchmarkReport(
        Workload workload,
        String sysbenchVersion,
        int availableProcessors,
        Instant startedAt,
        Instant finishedAt,
        List<TargetResult> results,
        StepFailure failure) {

    public BenchmarkReport {
        results = List.copyOf(results);
    }

    @JsonProperty
    public boolean succeeded() {
        return failure == null;
    }
}

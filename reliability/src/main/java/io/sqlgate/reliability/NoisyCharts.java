package io.sqlgate.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The noisy-neighbour run as chart panels: the victim's latency second by second, and each tier's memory. */
final class NoisyCharts {
    private NoisyCharts() {
    }

    static Map<String, Map<String, double[][]>> panels(NoisyNeighbour.Result result) {
        Map<String, Map<String, double[][]>> panels = new LinkedHashMap<>();
        Map<Long, List<Double>> bySecond = new TreeMap<>();
        for (NoisyNeighbour.Answer answer : result.victim()) {
            bySecond.computeIfAbsent((long) (answer.atMs() / 1000), s -> new ArrayList<>()).add(answer.latencyMs());
        }
        Map<String, double[][]> latency = new LinkedHashMap<>();
        latency.put("victim p50", perSecond(bySecond, 50));
        latency.put("victim p99", perSecond(bySecond, 99));
        panels.put("victim latency, ms (attack from " + (result.settings().warmup().toSeconds() + result.settings().baseline().toSeconds()) + " s)", latency);
        Map<String, double[][]> memory = new LinkedHashMap<>();
        result.rss().forEach((tier, samples) -> {
            double[][] xy = new double[2][samples.size()];
            for (int i = 0; i < samples.size(); i++) {
                xy[0][i] = samples.get(i)[0];
                xy[1][i] = samples.get(i)[1];
            }
            memory.put(tier, xy);
        });
        panels.put("resident memory, MiB", memory);
        return panels;
    }

    private static double[][] perSecond(Map<Long, List<Double>> bySecond, double p) {
        double[][] xy = new double[2][bySecond.size()];
        int i = 0;
        for (Map.Entry<Long, List<Double>> second : bySecond.entrySet()) {
            double[] sorted = second.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            xy[0][i] = second.getKey() + 0.5;
            xy[1][i] = Percentiles.of(sorted, p);
            i++;
        }
        return xy;
    }
}

package io.sqlgate.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a person wants to know after a scenario: answers by status, who served each route, latencies. */
public final class ScenarioSummary {
    private final List<Answer> answers;

    public ScenarioSummary(List<Answer> answers) {
        this.answers = List.copyOf(answers);
    }

    public Map<Integer, Integer> byStatus() {
        Map<Integer, Integer> counts = new TreeMap<>();
        answers.forEach(a -> counts.merge(a.status(), 1, Integer::sum));
        return counts;
    }

    /** For each route, in the order first called: how many answers each node served. */
    public Map<String, Map<String, Integer>> servedBy() {
        Map<String, Map<String, Integer>> routes = new LinkedHashMap<>();
        for (Answer answer : answers) {
            routes.computeIfAbsent(answer.route(), r -> new TreeMap<>())
                    .merge(answer.servedBy() == null ? "-" : answer.servedBy(), 1, Integer::sum);
        }
        return routes;
    }

    /** The latency at quantile q (0..1) of one route's answers, in milliseconds, nearest-rank. */
    public double latencyMillis(String route, double q) {
        List<Long> latencies = new ArrayList<>();
        answers.stream().filter(a -> a.route().equals(route)).forEach(a -> latencies.add(a.latencyNanos()));
        if (latencies.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(latencies);
        int rank = (int) Math.ceil(q * latencies.size());
        return latencies.get(Math.max(0, Math.min(latencies.size() - 1, rank - 1))) / 1_000_000.0;
    }

    public boolean allOk() {
        return answers.stream().allMatch(a -> a.status() == 200);
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("Answers by status: ");
        byStatus().forEach((status, count) -> out.append(status == 0 ? "no answer" : status).append(" x ").append(count).append("  "));
        out.append("\n\n");
        out.append(String.format("%-20s %8s %10s %10s  %s%n", "route", "answers", "p50 ms", "p99 ms", "served by"));
        servedBy().forEach((route, nodes) -> out.append(String.format("%-20s %8d %10.2f %10.2f  %s%n", route,
                nodes.values().stream().mapToInt(Integer::intValue).sum(), latencyMillis(route, 0.5),
                latencyMillis(route, 0.99), nodes)));
        answers.stream().filter(a -> a.status() != 200).limit(5).forEach(a ->
                out.append("\nfailed: ").append(a.route()).append(" -> ").append(a.status()).append(' ').append(a.body()));
        return out.toString();
    }
}

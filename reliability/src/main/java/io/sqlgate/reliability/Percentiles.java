package io.sqlgate.reliability;

/** Nearest-rank percentiles of sorted figures, as every report of these runs gives them. */
final class Percentiles {
    private Percentiles() {
    }

    /** @return the smallest figure with at least {@code p} % of the figures at or below it; NaN when there are none */
    static double of(double[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN
                : sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1))];
    }
}

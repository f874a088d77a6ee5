package io.sqlgate.perf;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop load: {@code concurrency} workers, each sending its next request as soon as the previous one is
 * answered. Nothing is recorded during the warm-up; the measured window is timed exactly.
 */
final class LoadRunner {
    private LoadRunner() {
    }

    /** Latencies in microseconds. */
    record Result(String target, Workload workload, int concurrency, long requests, long errors, double seconds,
                  double p50Micros, double p99Micros, double p999Micros, Map<String, Double> cpuMicrosPerRequest) {
        double throughput() {
            return requests / seconds;
        }
    }

    private static final int IDLE = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;

    static Result run(Target target, Workload workload, int concurrency, double warmupSeconds, double durationSeconds)
            throws InterruptedException {
        return run(target, workload, concurrency, warmupSeconds, durationSeconds, null);
    }

    static Result run(Target target, Workload workload, int concurrency, double warmupSeconds, double durationSeconds,
                      CpuMeter cpu) throws InterruptedException {
        List<Worker> workers = new ArrayList<>(concurrency);
        Phase phase = new Phase();
        for (int i = 0; i < concurrency; i++) {
            Worker worker = new Worker(target.caller(), workload, phase);
            workers.add(worker);
            Thread thread = new Thread(worker, "bench-" + target.name() + "-" + i);
            thread.setDaemon(true);
            worker.thread = thread;
            thread.start();
        }
        sleep(warmupSeconds);
        Map<String, Long> cpuBefore = cpu == null ? Map.of() : cpu.snapshot();
        long started = System.nanoTime();
        phase.value = MEASURE;
        sleep(durationSeconds);
        phase.value = STOP;
        long ended = System.nanoTime();
        Map<String, Long> cpuAfter = cpu == null ? Map.of() : cpu.snapshot();
        Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long requests = 0;
        long errors = 0;
        for (Worker worker : workers) {
            worker.thread.join(35_000);
            all.add(worker.histogram);
            requests += worker.requests;
            errors += worker.errors;
        }
        return new Result(target.name(), workload, concurrency, requests, errors, (ended - started) / 1e9,
                all.getValueAtPercentile(50) / 1000.0, all.getValueAtPercentile(99) / 1000.0,
                all.getValueAtPercentile(99.9) / 1000.0, CpuMeter.perRequest(cpuBefore, cpuAfter, requests));
    }

    private static void sleep(double seconds) throws InterruptedException {
        if (seconds > 0) {
            Thread.sleep((long) (seconds * 1000));
        }
    }

    private static final class Phase {
        volatile int value = IDLE;
    }

    private static final class Worker implements Runnable {
        private final Target.Caller caller;
        private final Workload workload;
        private final Phase phase;
        private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        private long requests;
        private long errors;
        private Thread thread;

        Worker(Target.Caller caller, Workload workload, Phase phase) {
            this.caller = caller;
            this.workload = workload;
            this.phase = phase;
        }

        @Override
        public void run() {
            try (caller) {
                int now;
                while ((now = phase.value) != STOP) {
                    Workload.Statement statement = workload.next();
                    long started = System.nanoTime();
                    boolean ok;
                    try {
                        ok = caller.call(statement);
                    } catch (Exception e) {
                        ok = false;
                    }
                    long took = System.nanoTime() - started;
                    // Only requests that both started and ended inside the measured window count.
                    if (now == MEASURE && phase.value == MEASURE) {
                        if (ok) {
                            requests++;
                            histogram.recordValue(Math.min(took, histogram.getHighestTrackableValue()));
                        } else {
                            errors++;
                        }
                    }
                    if (!ok && phase.value != STOP) {
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }
        }
    }
}

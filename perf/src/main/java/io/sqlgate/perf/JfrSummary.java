package io.sqlgate.perf;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a tier's CPU time went, from a JFR recording's execution samples: a sample belongs to a feature
 * (parsing, logging, JDBC, signing) when any frame of its stack does, otherwise to the library of the frame
 * nearest the top of its stack; the hottest methods are listed too.
 */
final class JfrSummary {
    /** Work done for one feature: a sample belongs here when any frame of its stack does. */
    private static final Map<String, List<String>> FEATURES = new LinkedHashMap<>();
    /** Everything else goes to the library of the frame nearest the top of the stack that has one. */
    private static final Map<String, List<String>> LIBRARIES = new LinkedHashMap<>();
    private static final String OTHER = "other (JDK only: GC, JIT, idle glue)";

    static {
        FEATURES.put("SQL parsing (JSqlParser)", List.of("net.sf.jsqlparser."));
        FEATURES.put("access log (logback, logstash encoder)", List.of("ch.qos.logback.", "net.logstash."));
        FEATURES.put("JDBC (Connector/J, HikariCP)", List.of("com.mysql.", "com.zaxxer.hikari."));
        // after JDBC: the write itself runs inside the ledger's transaction; this is the ledger's own work
        FEATURES.put("audit ledger (Micronaut Data, transactions)", List.of("io.sqlgate.proxy.audit.", "io.micronaut.data.", "io.micronaut.transaction."));
        FEATURES.put("hop signing (HMAC, SHA-256)", List.of("io.sqlgate.hop.signing.", "javax.crypto."));
        LIBRARIES.put("JSON (Micronaut serde, Jackson)", List.of("io.micronaut.serde.", "io.micronaut.json.", "com.fasterxml.jackson."));
        LIBRARIES.put("metrics (Micrometer)", List.of("io.micrometer."));
        LIBRARIES.put("HTTP client to the next tier (Micronaut)", List.of("io.micronaut.http.client."));
        LIBRARIES.put("sqlgate code", List.of("io.sqlgate."));
        LIBRARIES.put("Micronaut HTTP server, DI, Reactor", List.of("io.micronaut.", "reactor."));
        LIBRARIES.put("Netty (sockets, HTTP codec, buffers)", List.of("io.netty."));
    }

    record Summary(String tier, long samples, double cpuShare, Map<String, Long> byCategory, Map<String, Long> topMethods,
                   long gcCount, double gcPauseMillis) {
    }

    private JfrSummary() {
    }

    static Summary read(String tier, Path recording) throws IOException {
        Map<String, Long> byCategory = new LinkedHashMap<>();
        FEATURES.keySet().forEach(c -> byCategory.put(c, 0L));
        LIBRARIES.keySet().forEach(c -> byCategory.put(c, 0L));
        byCategory.put(OTHER, 0L);
        Map<String, Long> methods = new HashMap<>();
        long samples = 0;
        double cpu = 0;
        long cpuEvents = 0;
        long gcs = 0;
        double gcPause = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                String type = event.getEventType().getName();
                if (type.equals("jdk.ExecutionSample")) {
                    RecordedStackTrace stack = event.getStackTrace();
                    if (stack == null || stack.getFrames().isEmpty()) {
                        continue;
                    }
                    samples++;
                    byCategory.merge(categoryOf(stack.getFrames()), 1L, Long::sum);
                    RecordedFrame top = stack.getFrames().get(0);
                    methods.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1L, Long::sum);
                } else if (type.equals("jdk.CPULoad")) {
                    cpu += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
                    cpuEvents++;
                } else if (type.equals("jdk.GarbageCollection")) {
                    gcs++;
                    gcPause += event.getDuration("sumOfPauses").toNanos() / 1e6;
                }
            }
        }
        Map<String, Long> top = new LinkedHashMap<>();
        methods.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return new Summary(tier, samples, cpuEvents == 0 ? Double.NaN : cpu / cpuEvents, byCategory, top, gcs, gcPause);
    }

    private static String categoryOf(List<RecordedFrame> frames) {
        for (Map.Entry<String, List<String>> feature : FEATURES.entrySet()) {
            for (RecordedFrame frame : frames) {
                if (matches(frame, feature.getValue())) {
                    return feature.getKey();
                }
            }
        }
        for (RecordedFrame frame : frames) {
            for (Map.Entry<String, List<String>> library : LIBRARIES.entrySet()) {
                if (matches(frame, library.getValue())) {
                    return library.getKey();
                }
            }
        }
        return OTHER;
    }

    private static boolean matches(RecordedFrame frame, List<String> prefixes) {
        String owner = frame.getMethod().getType().getName();
        for (String prefix : prefixes) {
            if (owner.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}

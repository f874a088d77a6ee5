package io.sqlgate.perf;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** What one closed-loop worker sends: a statement and its parameters, freshly drawn for every request. */
enum Workload {
    /** SELECT by primary key, random keys, the key bound as a parameter: the text repeats. */
    POINT_READ("point reads, parameterised"),
    /** SELECT by primary key with the key and a sequence number inlined: the text differs on every request. */
    POINT_READ_LITERAL("point reads, literal SQL (every text differs)"),
    /** INSERT of one row, values bound as parameters. */
    INSERT("inserts, parameterised");

    static final int ROWS = 10_000;
    static final String TABLE = "bench_table";
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final String PAD = "x".repeat(50);

    private final String title;

    Workload(String title) {
        this.title = title;
    }

    String title() {
        return title;
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Workload fromWire(String name) {
        for (Workload workload : values()) {
            if (workload.wireName().equals(name.trim())) {
                return workload;
            }
        }
        throw new IllegalArgumentException("unknown workload " + name + "; valid: point-read, point-read-literal, insert");
    }

    boolean writes() {
        return this == INSERT;
    }

    /** One statement with its parameters. */
    record Statement(String sql, List<Object> params) {
    }

    Statement next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int key = 1 + random.nextInt(ROWS);
        return switch (this) {
            case POINT_READ -> new Statement("SELECT id, k, c, pad FROM " + TABLE + " WHERE id = ?", List.of(key));
            case POINT_READ_LITERAL -> new Statement("SELECT id, k, c, pad FROM " + TABLE + " WHERE id = " + key
                    + " AND id <> -" + SEQUENCE.incrementAndGet(), List.of());
            case INSERT -> new Statement("INSERT INTO " + TABLE + " (k, c, pad) VALUES (?, ?, ?)",
                    List.of(key, "bench-" + random.nextLong(), PAD));
        };
    }

    /**
     * The /query body for a statement, with the strategy (null: the default, direct); signed for a tier behind the
     * gatekeeper, with the key name and role the gatekeeper signs into every request.
     *
     * @param signedKey the key a signed request names; null for a client's request
     */
    static byte[] body(Statement statement, String strategy, String signedKey) {
        StringBuilder json = new StringBuilder(160).append("{\"sql\":\"").append(statement.sql()).append('"');
        if (signedKey != null) {
            json.append(",\"key\":\"").append(signedKey).append("\",\"role\":\"writer\"");
        }
        if (!statement.params().isEmpty()) {
            json.append(",\"params\":[");
            for (int i = 0; i < statement.params().size(); i++) {
                Object value = statement.params().get(i);
                if (i > 0) {
                    json.append(',');
                }
                if (value instanceof Number) {
                    json.append(value);
                } else {
                    json.append('"').append(value).append('"');
                }
            }
            json.append(']');
        }
        if (strategy != null) {
            json.append(",\"strategy\":\"").append(strategy).append('"');
        }
        return json.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}

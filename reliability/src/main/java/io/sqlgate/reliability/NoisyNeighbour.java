package io.sqlgate.reliability;

import io.sqlgate.testkit.LocalCluster;
import io.sqlgate.testkit.ProcessStats;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One key's steady point reads (the victim) measured alone, then while another key (the attacker) sends, from
 * several clients of each kind, what costs a tier or the cluster the most: results far over the size limit,
 * statements slow to parse (a new shape each time, so that no refusal is remembered), statements that run to the
 * time limit, and requests whose body never arrives. The victim must see no error and a p99 within a bound of its
 * own baseline from the same run; every answer the attacker gets must be one that names its cost (4xx, 503, or
 * 504 QUERY_TIMEOUT for a statement stopped at the limit), never a 500.
 */
public final class NoisyNeighbour {
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]+)\"");

    /** The kinds of attack, each a request body made from a sequence number. */
    public enum Attack {
        HUGE_RESULT(n -> "{\"sql\": \"SELECT id, REPEAT(column1, 100000) AS a, REPEAT(column1, 100000) AS b FROM random_table"
                + " WHERE id > " + (n % 3) + " LIMIT 500\"}"),
        SLOW_TO_PARSE(NoisyNeighbour::slowToParse),
        // one text, so that its verdict is a lookup: what it costs is the nodes' time, not the parser's
        TIME_LIMIT(n -> "{\"sql\": \"SELECT COUNT(*) FROM random_table a, random_table b, random_table c, random_table d,"
                + " random_table e, random_table f WHERE a.id + b.id + c.id + d.id + e.id + f.id > 0\"}"),
        HALF_SENT(null);

        private final LongFunction<String> body;

        Attack(LongFunction<String> body) {
            this.body = body;
        }
    }

    /**
     * @param p99Factor  the victim's p99 under attack may be at most this multiple of its baseline p99
     * @param rssLimitKib a tier's resident memory may not pass this
     */
    public record Settings(String host, int port, String victimKey, String attackerKey, int victimClients, int attackersPerKind,
                           List<Attack> attacks, Duration warmup, Duration baseline, Duration attack, Duration timeout, double p99Factor,
                           long rssLimitKib) {
    }

    /** One victim answer: when it was sent (ms from the start), its status, how long it took, and in which phase. */
    public record Answer(double atMs, int status, String code, double latencyMs, boolean underAttack) {
    }

    public record Result(Settings settings, List<Answer> victim, Map<String, Map<String, Integer>> attacker,
                         Map<String, Long> maxRssKib, Map<String, List<double[]>> rss, List<String> problems) {

        double[] latencies(boolean underAttack) {
            return victim.stream().filter(a -> a.underAttack() == underAttack).mapToDouble(Answer::latencyMs).sorted().toArray();
        }

        long errors(boolean underAttack) {
            return victim.stream().filter(a -> a.underAttack() == underAttack && a.status() != 200).count();
        }

        public String report() {
            double[] alone = latencies(false);
            double[] attacked = latencies(true);
            StringBuilder out = new StringBuilder();
            out.append("| victim (point reads, ").append(settings.victimClients()).append(" clients) | answers | errors | p50 ms | p99 ms | max ms |\n")
                    .append("|---|---:|---:|---:|---:|---:|\n");
            out.append(String.format("| alone (%d s) | %d | %d | %.1f | %.1f | %.1f |%n", settings.baseline().toSeconds(), alone.length,
                    errors(false), Percentiles.of(alone, 50), Percentiles.of(alone, 99), Percentiles.of(alone, 100)));
            out.append(String.format("| under attack (%d s) | %d | %d | %.1f | %.1f | %.1f |%n", settings.attack().toSeconds(),
                    attacked.length, errors(true), Percentiles.of(attacked, 50), Percentiles.of(attacked, 99), Percentiles.of(attacked, 100)));
            out.append(String.format("%np99 under attack / alone: %.2f (bound %.1f)%n%n", Percentiles.of(attacked, 99) / Percentiles.of(alone, 99),
                    settings.p99Factor()));
            out.append("| attack (").append(settings.attackersPerKind()).append(" clients each) | answers by status and code |\n|---|---|\n");
            attacker.forEach((kind, labels) -> out.append("| ").append(kind).append(" | ").append(String.join(", ",
                    labels.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList())).append(" |\n"));
            out.append("\n| tier | largest resident memory, MiB (limit ").append(settings.rssLimitKib() / 1024).append(") |\n|---|---:|\n");
            maxRssKib.forEach((tier, kib) -> out.append("| ").append(tier).append(" | ").append(kib / 1024).append(" |\n"));
            out.append(problems.isEmpty() ? "\nNothing found wrong.\n" : "\nFound wrong:\n- " + String.join("\n- ", problems) + "\n");
            return out.toString();
        }
    }

    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private final long epoch = System.nanoTime();
    private final List<Answer> victim = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Map<String, Integer>> attacker = Collections.synchronizedMap(new TreeMap<>());
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong victimErrors = new AtomicLong();
    private volatile boolean underAttack;
    private volatile boolean attacking;
    private volatile boolean running = true;

    public NoisyNeighbour(Settings settings) {
        this.settings = settings;
    }

    /** Rows the victim reads by id (1 to {@value #ROWS}) and the attacks multiply, kept if already there. */
    static final int ROWS = 20;

    /**
     * Makes sure the rows the run reads exist: on an empty table the attacks would cost nothing and prove nothing.
     * Rows already there are left as they are.
     */
    public static void seed(LocalCluster cluster) throws SQLException {
        try (Connection connection = cluster.connect("node1");
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT IGNORE INTO main_db.random_table (id, column1, column2) VALUES (?, 'noisy-neighbour-row', 'noisy')")) {
            for (int id = 1; id <= ROWS; id++) {
                insert.setInt(1, id);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private double now() {
        return (System.nanoTime() - epoch) / 1e6;
    }

    /** @param tiers the tiers' pids by name, sampled for resident memory every 500 ms */
    public Result run(Map<String, Long> tiers) throws InterruptedException {
        Map<String, Long> maxRss = Collections.synchronizedMap(new TreeMap<>());
        Map<String, List<double[]>> rss = Collections.synchronizedMap(new TreeMap<>());
        List<Thread> threads = new ArrayList<>();
        threads.add(thread("memory", () -> {
            while (running) {
                tiers.forEach((tier, pid) -> {
                    try {
                        long kib = ProcessStats.of(pid).rssKib();
                        maxRss.merge(tier, kib, Math::max);
                        rss.computeIfAbsent(tier, t -> Collections.synchronizedList(new ArrayList<>())).add(new double[]{now() / 1000, kib / 1024.0});
                    } catch (IOException e) {
                        maxRss.put(tier, Long.MAX_VALUE); // gone: a crash is over any limit
                    }
                });
                Pause.millis(500);
            }
        }));
        for (int i = 0; i < settings.victimClients(); i++) {
            int client = i;
            threads.add(thread("victim-" + i, () -> victimLoop(client)));
        }
        System.out.println("victim warming up for " + settings.warmup().toSeconds() + " s (not counted), then alone for "
                + settings.baseline().toSeconds() + " s");
        Pause.of(settings.warmup());
        victim.clear();
        victimErrors.set(0);
        Pause.of(settings.baseline());
        underAttack = true;
        attacking = true;
        System.out.println("victim under attack for " + settings.attack().toSeconds() + " s: " + settings.attackersPerKind()
                + " clients each of " + settings.attacks().toString().toLowerCase());
        List<Thread> attackers = new ArrayList<>();
        for (Attack kind : settings.attacks()) {
            for (int i = 0; i < settings.attackersPerKind(); i++) {
                attackers.add(thread(kind.name().toLowerCase() + "-" + i, kind == Attack.HALF_SENT ? this::halfSent : () -> attackLoop(kind)));
            }
        }
        long end = System.nanoTime() + settings.attack().toNanos();
        while (System.nanoTime() < end) {
            Pause.millis(Math.max(1, Math.min(5_000, (end - System.nanoTime()) / 1_000_000)));
            System.out.printf("  %.0f s: victim %d answers, %d errors%n", now() / 1000, victim.size(), victimErrors.get());
        }
        attacking = false;
        running = false;
        for (Thread thread : attackers) {
            thread.join(settings.timeout().toMillis() + 5_000);
        }
        for (Thread thread : threads) {
            thread.join(settings.timeout().toMillis() + 5_000);
        }
        Result result = new Result(settings, List.copyOf(victim), copy(attacker), Map.copyOf(maxRss), copyRss(rss), new ArrayList<>());
        result.problems().addAll(problems(result));
        return result;
    }

    private List<String> problems(Result result) {
        List<String> problems = new ArrayList<>();
        for (boolean phase : new boolean[]{false, true}) {
            if (result.errors(phase) > 0) {
                problems.add("the victim had " + result.errors(phase) + " errors " + (phase ? "under attack" : "alone") + ": "
                        + result.victim().stream().filter(a -> a.underAttack() == phase && a.status() != 200)
                        .map(a -> a.status() + " " + a.code()).distinct().toList());
            }
        }
        double alone = Percentiles.of(result.latencies(false), 99);
        double attacked = Percentiles.of(result.latencies(true), 99);
        if (!(attacked <= settings.p99Factor() * alone)) {
            problems.add(String.format("the victim's p99 under attack, %.1f ms, is over %.1f x its p99 alone, %.1f ms", attacked,
                    settings.p99Factor(), alone));
        }
        result.attacker().forEach((kind, labels) -> labels.forEach((label, count) -> {
            if (!acceptable(label)) {
                problems.add(kind + ": " + count + " answers " + label);
            }
        }));
        result.maxRssKib().forEach((tier, kib) -> {
            if (kib > settings.rssLimitKib()) {
                problems.add(tier + " resident memory reached " + (kib == Long.MAX_VALUE ? "(the process is gone)" : kib / 1024 + " MiB"));
            }
        });
        return problems;
    }

    /**
     * A refusal that names its cost: any 4xx, 503, or 504 QUERY_TIMEOUT; a half-sent request may also go unanswered,
     * or be refused with a 4xx from its headers alone.
     */
    static boolean acceptable(String label) {
        return label.startsWith("4") || label.startsWith("503") || label.equals("504 QUERY_TIMEOUT") || label.equals("held, unanswered")
                || label.startsWith("refused before its body: 4");
    }

    private void victimLoop(int client) {
        Random random = new Random(client);
        while (running) {
            String body = "{\"sql\": \"SELECT id, column1 FROM random_table WHERE id = ?\", \"params\": [" + (1 + random.nextInt(ROWS)) + "]}";
            boolean phase = underAttack;
            double at = now();
            long started = System.nanoTime();
            Sent sent = post(settings.victimKey(), body);
            victim.add(new Answer(at, sent.status, sent.code, (System.nanoTime() - started) / 1e6, phase));
            if (sent.status != 200) {
                victimErrors.incrementAndGet();
            }
        }
    }

    private void attackLoop(Attack kind) {
        while (attacking) {
            Sent sent = post(settings.attackerKey(), kind.body.apply(sequence.incrementAndGet()));
            String label = sent.status == 0 ? "no answer" : sent.status + (sent.code == null ? "" : " " + sent.code);
            attacker.computeIfAbsent(kind.name().toLowerCase().replace('_', ' '), k -> Collections.synchronizedMap(new TreeMap<>()))
                    .merge(label, 1, Integer::sum);
            if (sent.retryAfterSeconds > 0) {
                // a client that honours Retry-After would wait; this one only waits a little, to keep pressing
                Pause.millis(50);
            }
        }
    }

    /** Connections that announce a body and send a tenth of it, held open until the attack ends, then counted. */
    private void halfSent() {
        List<Socket> held = new ArrayList<>();
        try {
            while (attacking && held.size() < 50) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(settings.host(), settings.port()), 2_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /query HTTP/1.1\r\nHost: " + settings.host() + "\r\nAuthorization: Bearer " + settings.attackerKey()
                        + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"sql\": \"SELECT 1").getBytes(StandardCharsets.UTF_8));
                out.flush();
                held.add(socket);
                Pause.millis(100);
            }
            while (attacking) {
                Pause.millis(200);
            }
        } catch (IOException e) {
            record("half sent", "refused to connect");
        } finally {
            for (Socket socket : held) {
                try {
                    socket.setSoTimeout(1);
                    int first = socket.getInputStream().read();
                    record("half sent", first < 0 ? "closed by the tier" : earlyAnswer(socket, first));
                } catch (java.net.SocketTimeoutException e) {
                    record("half sent", "held, unanswered");
                } catch (IOException e) {
                    record("half sent", "closed by the tier");
                } finally {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing is all that is left to do
                    }
                }
            }
        }
    }

    /**
     * What a tier answered before the body arrived, from its status line: the gatekeeper refuses a key that is
     * over its limits, or did not wait as it was told, from its headers alone ("refused before its body: 429").
     */
    private static String earlyAnswer(Socket socket, int first) throws IOException {
        socket.setSoTimeout(2_000);
        StringBuilder status = new StringBuilder().append((char) first);
        try {
            int c;
            while ((c = socket.getInputStream().read()) >= 0 && c != '\r' && c != '\n' && status.length() < 200) {
                status.append((char) c);
            }
        } catch (java.net.SocketTimeoutException e) {
            return "answered before its body, the status line unfinished: " + status;
        }
        String[] parts = status.toString().split(" ", 3);
        String code = parts.length > 1 ? parts[1] : status.toString();
        return (code.startsWith("4") ? "refused before its body: " : "answered before its body: ") + code;
    }

    private void record(String kind, String label) {
        attacker.computeIfAbsent(kind, k -> Collections.synchronizedMap(new TreeMap<>())).merge(label, 1, Integer::sum);
    }

    private record Sent(int status, String code, long retryAfterSeconds) {
    }

    private Sent post(String key, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + settings.host() + ":" + settings.port() + "/query"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json").timeout(settings.timeout())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher code = CODE.matcher(response.statusCode() == 200 ? "" : response.body());
            long retry = response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(0L);
            return new Sent(response.statusCode(), code.find() ? code.group(1) : null, retry);
        } catch (IOException e) {
            return new Sent(0, null, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sent(0, null, 0);
        }
    }

    /** Fourteen nested subqueries with a shape of their own: the parser's whole deadline, every time. */
    static String slowToParse(long n) {
        StringBuilder sql = new StringBuilder("SELECT id FROM random_table WHERE id > 1");
        long bits = n;
        for (int i = 0; i < 14; i++) {
            String column = (bits & 1) == 0 ? "id" : "column2";
            bits >>= 1;
            sql.insert(0, "SELECT " + column + " FROM direct_table WHERE " + column + " IN (").append(")");
        }
        sql.append(" AND id > ").append(n);
        return "{\"sql\": \"" + sql + "\"}";
    }

    private static Thread thread(String name, Runnable work) {
        Thread thread = new Thread(work, "noisy-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static Map<String, Map<String, Integer>> copy(Map<String, Map<String, Integer>> source) {
        synchronized (source) {
            Map<String, Map<String, Integer>> copy = new TreeMap<>();
            source.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
            return copy;
        }
    }

    private static Map<String, List<double[]>> copyRss(Map<String, List<double[]>> source) {
        synchronized (source) {
            Map<String, List<double[]>> copy = new TreeMap<>();
            source.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return copy;
        }
    }
}

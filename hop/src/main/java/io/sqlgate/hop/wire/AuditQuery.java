package io.sqlgate.hop.wire;

import io.sqlgate.hop.Refusal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A search of the audit ledger: the query parameters of {@code GET /audit} on the gatekeeper, and the signed body
 * of {@code POST /audit} between the tiers. Every filter may be absent; the entries that match all those given come
 * newest first, a page at a time.
 *
 * @param requestId entries of this request id
 * @param keyName   entries written with this key (its name)
 * @param table     entries of writes that name this table: {@code db.table}, or a table of the policy's database
 * @param from      entries recorded at or after this instant (ISO-8601, {@code 2026-12-04T21:00:00Z})
 * @param to        entries recorded before this instant
 * @param before    the next page: the {@code next} of the page before
 * @param limit     entries per page, 1 to {@value #MAX_LIMIT} ({@value #DEFAULT_LIMIT} when absent)
 * @param caller    set by the gatekeeper only, signed: the name of the key that asks
 * @param role      set by the gatekeeper only, signed: that key's role, which must be {@code auditor}
 */
public record AuditQuery(String requestId, String keyName, String table, String from, String to, String before, Integer limit,
                         String caller, String role) {
    /** The route, in every tier, without its leading slash. */
    public static final String PATH = "audit";
    public static final int DEFAULT_LIMIT = 20;
    /** At most this many entries per page: each keeps up to 2 x 2048 characters of text, and a page is one answer. */
    public static final int MAX_LIMIT = 50;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_$]{1,64}(\\.[A-Za-z0-9_$]{1,64})?");
    private static final String CODE = "AUDIT_QUERY_INVALID";

    /** The role that reads the ledger, as it is signed. */
    public static final String AUDITOR = "auditor";

    /** @throws Refusal 403 {@code ROLE_FORBIDDEN} unless the signed role is {@link #AUDITOR} */
    public void requireAuditor() {
        if (!AUDITOR.equals(role)) {
            throw Refusal.forbidden("ROLE_FORBIDDEN", "Only auditor keys read the audit ledger");
        }
    }

    /** The query parameters of {@code GET /audit}, each one of the filters above. */
    public static final java.util.List<String> PARAMETERS = java.util.List.of("requestId", "keyName", "table", "from", "to", "before", "limit");

    /**
     * The search a client's query parameters ask for.
     *
     * @throws Refusal 400 {@code AUDIT_QUERY_INVALID} for a parameter that is none of {@link #PARAMETERS}, one given
     *                 twice, or a {@code limit} that is no number
     */
    public static AuditQuery ofParameters(java.util.Map<String, java.util.List<String>> parameters) {
        java.util.Map<String, String> values = new java.util.HashMap<>();
        parameters.forEach((name, given) -> {
            if (!PARAMETERS.contains(name)) {
                throw Refusal.invalid(CODE, "unknown parameter \"" + io.sqlgate.hop.Texts.clip(name, 40) + "\"; the parameters are "
                        + String.join(", ", PARAMETERS));
            }
            if (given.size() != 1) {
                throw Refusal.invalid(CODE, "parameter \"" + name + "\" is given " + given.size() + " times; give it once");
            }
            values.put(name, given.get(0));
        });
        Integer limit = null;
        if (values.containsKey("limit")) {
            try {
                limit = Integer.valueOf(values.get("limit"));
            } catch (NumberFormatException e) {
                throw Refusal.invalid(CODE, "limit must be between 1 and " + MAX_LIMIT);
            }
        }
        return new AuditQuery(values.get("requestId"), values.get("keyName"), values.get("table"), values.get("from"), values.get("to"),
                values.get("before"), limit, null, null);
    }

    /** The same search, as the gatekeeper signs it for the key that asks. */
    public AuditQuery signedFor(String callerName, String callerRole) {
        return new AuditQuery(requestId, keyName, table, from, to, before, limit, callerName, callerRole);
    }

    /**
     * The search checked: every tier checks it for itself, the same way.
     *
     * @throws Refusal 400 {@code AUDIT_QUERY_INVALID} naming the first filter that is not one
     */
    public Checked check() {
        text("requestId", requestId, 64);
        text("keyName", keyName, 255);
        if (table != null && !NAME.matcher(table).matches()) {
            throw Refusal.invalid(CODE, "table must be a table name, or db.table (letters, digits, _ and $)");
        }
        Instant fromTime = instant("from", from);
        Instant toTime = instant("to", to);
        if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
            throw Refusal.invalid(CODE, "from must be before to");
        }
        int pageSize = limit == null ? DEFAULT_LIMIT : limit;
        if (pageSize < 1 || pageSize > MAX_LIMIT) {
            throw Refusal.invalid(CODE, "limit must be between 1 and " + MAX_LIMIT);
        }
        return new Checked(requestId, keyName, table, fromTime, toTime, before == null ? null : Cursor.decode(before), pageSize);
    }

    /** A search every tier checked: times to the microsecond, the page's cursor decoded. */
    public record Checked(String requestId, String keyName, String table, Instant from, Instant to, Cursor before, int limit) {
    }

    /** Where a page ends: the last entry's time and id, which the next page starts below. */
    public record Cursor(Instant recordedAt, long id) {
        public String encode() {
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, recordedAt);
            return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + "." + id).getBytes(StandardCharsets.US_ASCII));
        }

        static Cursor decode(String text) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII).split("\\.");
                if (text.length() <= 64 && parts.length == 2) {
                    Cursor cursor = new Cursor(Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS), Long.parseLong(parts[1]));
                    if (cursor.id >= 0 && inRange(cursor.recordedAt)) {
                        return cursor;
                    }
                }
            } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
                // not one of ours: refused below
            }
            throw Refusal.invalid(CODE, "before must be the next of an earlier page, as it was given");
        }
    }

    private static void text(String name, String value, int max) {
        if (value != null && (value.isEmpty() || value.length() > max || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw Refusal.invalid(CODE, name + " must be 1 to " + max + " printable characters");
        }
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(value).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw Refusal.invalid(CODE, name + " must be an ISO-8601 instant, such as 2026-12-04T21:00:00Z");
        }
        if (!inRange(instant)) {
            throw Refusal.invalid(CODE, name + " must be between the years 1000 and 9999, as the ledger's times are");
        }
        return instant;
    }

    private static final Instant EARLIEST = Instant.parse("1000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** Within the range of the ledger's DATETIME(6) times. */
    private static boolean inRange(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }
}

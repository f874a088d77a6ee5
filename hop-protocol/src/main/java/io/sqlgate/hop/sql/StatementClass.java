package io.sqlgate.hop.sql;

import java.util.Locale;

/**
 * What the later tiers need to know of an accepted statement: its kind, and whether it is a plain read.
 * The gatekeeper, which parses and checks every statement, sends it inside the signed body
 * ({@code statementClass}), so that the trusted host and the proxy need not parse the same text again; a
 * request without it is parsed where it arrives.
 */
public enum StatementClass {
    /** A SELECT without a locking clause: may go to a read node. */
    READ(StatementType.SELECT, true),
    /** A SELECT ... FOR UPDATE / FOR SHARE: goes to the writer. */
    LOCKING_READ(StatementType.SELECT, false),
    INSERT(StatementType.INSERT, false),
    UPDATE(StatementType.UPDATE, false),
    DELETE(StatementType.DELETE, false);

    private final StatementType type;
    private final boolean read;

    StatementClass(StatementType type, boolean read) {
        this.type = type;
        this.read = read;
    }

    public StatementType type() {
        return type;
    }

    public boolean read() {
        return read;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The class of a parsed statement; null for statements that are not data statements. */
    public static StatementClass of(ParsedStatement statement) {
        return switch (statement.type()) {
            case SELECT -> statement.read() ? READ : LOCKING_READ;
            case INSERT -> INSERT;
            case UPDATE -> UPDATE;
            case DELETE -> DELETE;
            case OTHER -> null;
        };
    }

    /** @throws SqlRejectedException when the name is not one of the wire names */
    public static StatementClass fromWire(String name) {
        for (StatementClass value : values()) {
            if (value.wireName().equals(name)) {
                return value;
            }
        }
        throw new SqlRejectedException("STATEMENT_CLASS_INVALID", "Unknown statement class in a signed request");
    }

    /**
     * The class of a request's statement: the one the gatekeeper signed into the body when there is one,
     * otherwise the statement parsed here; null when it is not a data statement.
     */
    public static StatementClass resolve(String signedClass, String sql) {
        return signedClass != null ? fromWire(signedClass) : of(SqlParser.parse(sql));
    }

    /** The type of a resolved class, {@link StatementType#OTHER} for null. */
    public static StatementType typeOf(StatementClass resolved) {
        return resolved == null ? StatementType.OTHER : resolved.type;
    }
}

package io.sqlgate.sql;

import java.util.Locale;

/**
 * An accepted statement's kind, and whether it is a plain read. The gatekeeper signs it into the body
 * ({@code statementClass}); every later tier reads the statement for itself and refuses the request when its own
 * reading differs ({@link #crossCheck}).
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
     * Compares the class an earlier tier signed into the body with this tier's own reading of the statement:
     * the two read one text with one parser, so a difference means a tier is misconfigured or compromised.
     *
     * @throws SqlRejectedException 403 STATEMENT_CLASS_MISMATCH when they differ
     */
    public static void crossCheck(String signedClass, ParsedStatement own) {
        if (signedClass == null) {
            return;
        }
        StatementClass signed = fromWire(signedClass);
        StatementClass mine = of(own);
        if (signed != mine) {
            throw SqlRejectedException.forbidden("STATEMENT_CLASS_MISMATCH", "The statement was signed as " + signed.wireName()
                    + " and reads here as " + (mine == null ? "no data statement" : mine.wireName()));
        }
    }
}

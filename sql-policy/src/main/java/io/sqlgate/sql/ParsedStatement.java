package io.sqlgate.sql;

import java.util.Set;

/**
 * One SQL statement as the parser understood it: what each tier needs to decide about it, and the text to run.
 *
 * @param type         SELECT, INSERT, UPDATE, DELETE or OTHER
 * @param read         true only for a plain SELECT: no locking clause anywhere in it
 * @param tables       every table it touches, unquoted, in the case written, schema-qualified when written so
 *                     ({@code mysql.user})
 * @param functions    every function it calls, lower case, schema-qualified when written so
 * @param hasWhere     for UPDATE and DELETE: whether a WHERE clause restricts it
 * @param canonicalSql the statement printed back from the parsed tree (of this statement, or of the first one of
 *                     its digest with this one's values in place), with the client's own values and placeholders
 *                     and no comments: the text the database runs, so that it runs what was checked
 * @param placeholders how many {@code ?} placeholders it has, so how many values must be bound
 * @param digest       the statement with its values taken out ({@link SqlDigest})
 */
public record ParsedStatement(StatementType type, boolean read, Set<String> tables, Set<String> functions,
                              boolean hasWhere, String canonicalSql, int placeholders, String digest) {

    /** Whether another reading of a statement decides the same: same kind, tables, functions and WHERE. */
    public boolean sameVerdict(ParsedStatement other) {
        return type == other.type && read == other.read && tables.equals(other.tables) && functions.equals(other.functions)
                && hasWhere == other.hasWhere;
    }
}

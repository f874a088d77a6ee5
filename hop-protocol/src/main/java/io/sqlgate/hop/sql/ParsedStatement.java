package io.sqlgate.hop.sql;

import java.util.Set;

/**
 * One SQL statement as the parser understood it: what each tier needs to decide about it.
 *
 * @param type      SELECT, INSERT, UPDATE, DELETE or OTHER
 * @param read      true only for a plain SELECT: no locking clause anywhere in it
 * @param tables    every table it touches, lower case, schema-qualified when written so ({@code mysql.user})
 * @param functions every function it calls, lower case
 * @param hasWhere  for UPDATE and DELETE: whether a WHERE clause restricts it
 */
public record ParsedStatement(StatementType type, boolean read, Set<String> tables, Set<String> functions,
                              boolean hasWhere) {
}

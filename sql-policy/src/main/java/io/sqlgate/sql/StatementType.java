package io.sqlgate.sql;

/** The statement kinds the system knows by name; everything else is {@link #OTHER}. */
public enum StatementType {
    SELECT, INSERT, UPDATE, DELETE, OTHER
}

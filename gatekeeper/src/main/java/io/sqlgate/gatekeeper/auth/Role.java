package io.sqlgate.gatekeeper.auth;

/** What a key may do: readers only read; writers also INSERT, UPDATE and DELETE. */
public enum Role {
    READER, WRITER
}

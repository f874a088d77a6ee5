package io.sqlgate.sql;

import java.util.Locale;

/**
 * What a key may do: readers only read; writers also INSERT, UPDATE and DELETE; auditors run no statement, and
 * read the audit ledger ({@code GET /audit}), which no other role may.
 */
public enum Role {
    READER, WRITER, AUDITOR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role the gatekeeper signed into a body for the key that sent it.
     *
     * @throws SqlRejectedException 400 ROLE_INVALID when there is none or it is not a role
     */
    public static Role fromWire(String name) {
        for (Role role : values()) {
            if (role.wireName().equals(name)) {
                return role;
            }
        }
        throw new SqlRejectedException("ROLE_INVALID", name == null ? "The signed request names no key role"
                : "The signed request names an unknown key role");
    }
}

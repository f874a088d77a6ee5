package io.sqlgate.gatekeeper.auth;

import io.sqlgate.sql.Role;

/** An authenticated caller: the key's name (logged, never the key) and its role. */
public record ApiKey(String name, Role role) {
}

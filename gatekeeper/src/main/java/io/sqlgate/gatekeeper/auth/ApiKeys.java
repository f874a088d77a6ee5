package io.sqlgate.gatekeeper.auth;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.sqlgate.gatekeeper.GatekeeperConfiguration;
import io.sqlgate.sql.Role;
import io.sqlgate.hop.Sha256;
import io.sqlgate.http.ApiException;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Authenticates {@code Authorization: Bearer <key>} against the configured SHA-256 hashes of the keys. Only
 * hashes are held, so the configuration never contains a usable key.
 */
@Singleton
public final class ApiKeys {
    private static final String BEARER = "Bearer ";
    private static final Map<String, String> CHALLENGE = Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sqlgate\"");
    /** Longer headers are refused before hashing: no key of ours is that long. */
    private static final int MAX_KEY_LENGTH = 512;

    private final Map<String, ApiKey> byHash = new HashMap<>();

    public ApiKeys(GatekeeperConfiguration configuration) {
        for (String entry : configuration.apiKeys()) {
            String[] parts = entry.trim().split(":");
            if (parts.length != 3 || parts[0].isBlank() || !parts[2].matches("[0-9a-fA-F]{64}")) {
                throw new ConfigurationException("gatekeeper.api-keys entries are name:role:sha256hex; this one is not: "
                        + (parts.length > 0 ? parts[0] : "") + ":...");
            }
            Role role;
            try {
                role = Role.valueOf(parts[1].trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("API key '" + parts[0] + "' has role '" + parts[1] + "'; valid: reader, writer, auditor");
            }
            if (byHash.put(parts[2].toLowerCase(Locale.ROOT), new ApiKey(parts[0].trim(), role)) != null) {
                throw new ConfigurationException("Two API keys share the hash of key '" + parts[0] + "'");
            }
        }
    }

    /** @throws ApiException 401 with a {@code WWW-Authenticate} challenge when the header holds no known key */
    public ApiKey authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "AUTH_MISSING",
                    "An API key is required: send 'Authorization: Bearer <key>'", CHALLENGE);
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "AUTH_INVALID", "The Authorization header must use the Bearer scheme", CHALLENGE);
        }
        String key = authorization.substring(BEARER.length()).trim();
        ApiKey found = key.isEmpty() || key.length() > MAX_KEY_LENGTH ? null : byHash.get(Sha256.hex(key));
        if (found == null) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "AUTH_INVALID", "The API key is not valid", CHALLENGE);
        }
        return found;
    }
}

package io.sqlgate.gatekeeper.auth;

import io.sqlgate.sql.Role;

import io.sqlgate.hop.Sha256;

import io.micronaut.context.exceptions.ConfigurationException;
import io.sqlgate.gatekeeper.GatekeeperConfiguration;
import io.sqlgate.http.ApiException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeysTest {
    private static GatekeeperConfiguration configuration(List<String> keys) {
        return new GatekeeperConfiguration(keys, 100, new GatekeeperConfiguration.RateLimit(1, 1));
    }

    private final ApiKeys keys = new ApiKeys(configuration(List.of(
            "alice:writer:" + Sha256.hex("alice-secret-key"), " bob : READER :" + Sha256.hex("bob-secret-key").toUpperCase())));

    @Test
    void knownKeysAuthenticateWithTheirNameAndRole() {
        assertEquals(new ApiKey("alice", Role.WRITER), keys.authenticate("Bearer alice-secret-key"));
        assertEquals(new ApiKey("bob", Role.READER), keys.authenticate("bearer bob-secret-key"));
    }

    @Test
    void missingWrongAndMalformedCredentialsAre401() {
        assertEquals("AUTH_MISSING", assertThrows(ApiException.class, () -> keys.authenticate(null)).code());
        assertEquals("AUTH_MISSING", assertThrows(ApiException.class, () -> keys.authenticate(" ")).code());
        assertEquals("AUTH_INVALID", assertThrows(ApiException.class, () -> keys.authenticate("Bearer nope")).code());
        assertEquals("AUTH_INVALID", assertThrows(ApiException.class, () -> keys.authenticate("Basic YWxpY2U6eA==")).code());
        assertEquals("AUTH_INVALID", assertThrows(ApiException.class, () -> keys.authenticate("Bearer ")).code());
        assertEquals("AUTH_INVALID", assertThrows(ApiException.class, () -> keys.authenticate("Bearer " + "a".repeat(10_000))).code());
        ApiException e = assertThrows(ApiException.class, () -> keys.authenticate("Bearer " + Sha256.hex("alice-secret-key")));
        assertEquals(401, e.status(), "the stored hash is not a key");
        assertTrue(e.headers().containsKey("WWW-Authenticate"));
    }

    @Test
    void badConfigurationIsRefusedAtStartup() {
        assertThrows(ConfigurationException.class, () -> new ApiKeys(configuration(List.of("alice:writer"))));
        assertThrows(ConfigurationException.class, () -> new ApiKeys(configuration(List.of("alice:admin:" + "0".repeat(64)))));
        assertThrows(ConfigurationException.class, () -> new ApiKeys(configuration(List.of("alice:writer:not-a-hash"))));
        assertThrows(ConfigurationException.class, () -> new ApiKeys(configuration(List.of(
                "a:writer:" + "0".repeat(64), "b:reader:" + "0".repeat(64)))));
    }
}

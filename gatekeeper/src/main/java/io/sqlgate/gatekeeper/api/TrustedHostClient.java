package io.sqlgate.gatekeeper.api;

import io.micronaut.http.client.annotation.Client;
import io.sqlgate.hop.forward.NextTierOperations;

/** The hop to the trusted host; its URL is {@code micronaut.http.services.trusted-host.url} ({@code TRUSTED_HOST_URL}). */
@Client(id = "trusted-host")
public interface TrustedHostClient extends NextTierOperations {
}

package io.sqlgate.trustedhost;

import io.micronaut.http.client.annotation.Client;
import io.sqlgate.hop.forward.NextTierOperations;

/** The hop to the proxy; its URL is {@code micronaut.http.services.proxy.url} (environment: {@code PROXY_URL}). */
@Client(id = "proxy")
public interface ProxyClient extends NextTierOperations {
}

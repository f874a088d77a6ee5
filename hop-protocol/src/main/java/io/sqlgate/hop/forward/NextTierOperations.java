package io.sqlgate.hop.forward;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.sqlgate.hop.wire.HopHeaders;

import java.util.concurrent.CompletableFuture;

/**
 * One signed hop to the next tier, as a declarative client: each tier extends it with
 * {@code @Client(id = "...")}, and the next tier's URL lives only in {@code micronaut.http.services.<id>.url}.
 */
public interface NextTierOperations {

    /** Posts the body byte for byte, so that the receiver's HMAC sees exactly what was signed. */
    @Post(uri = "/{route}", processes = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<byte[]>> post(@PathVariable String route, @Body byte[] body,
                                                 @Header(HopHeaders.REQUEST_ID) String requestId,
                                                 @Header(HopHeaders.TIMESTAMP) String timestamp,
                                                 @Header(HopHeaders.SIGNATURE) String signature);
}

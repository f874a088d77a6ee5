package io.sqlgate.testkit;

import io.micronaut.http.MutableHttpRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests with a Content-Encoding, sent over real HTTP with the JDK's client (which, unlike Micronaut's, sends
 * the header and the bytes exactly as given), and the assertion that a tier refused them.
 */
public final class EncodedBodies {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private EncodedBodies() {
    }

    /** Zeros, gzip-compressed: {@code mebibytes} MiB that travel in about a thousandth of that. */
    public static byte[] gzippedZeros(int mebibytes) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < mebibytes; i++) {
                gzip.write(zeros);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compressed.toByteArray();
    }

    /** POSTs {@code body} as JSON with the given headers; a null {@code contentEncoding} sends none. */
    public static HttpResponse<String> post(URI uri, String contentEncoding, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        if (contentEncoding != null) {
            request.header("Content-Encoding", contentEncoding);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POSTs a request built by {@link SignedRequests}, its headers and body as signed, with a Content-Encoding. */
    public static HttpResponse<String> post(URI base, MutableHttpRequest<byte[]> signed, String contentEncoding) {
        Map<String, String> headers = new HashMap<>();
        signed.getHeaders().forEachValue((name, value) -> {
            // The JDK's client sets these itself and refuses them from callers.
            if (!Set.of("content-type", "content-length", "host", "connection").contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, value);
            }
        });
        return post(base.resolve(signed.getPath()), contentEncoding, signed.getBody().orElseThrow(), headers);
    }

    /** The answer is the project's 415 for an unaccepted coding, naming it. */
    public static void assertEncodingRefused(HttpResponse<String> answer, String coding) {
        assertEquals(415, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), answer.headers().toString());
        assertTrue(answer.body().contains("\"code\":\"ENCODING_UNSUPPORTED\""), answer.body());
        assertTrue(answer.body().contains("Content-Encoding \\\"" + coding + "\\\" is not accepted"), answer.body());
        assertTrue(answer.body().contains("\"requestId\":"), answer.body());
        assertEquals("identity", answer.headers().firstValue("Accept-Encoding").orElse(""), answer.headers().toString());
    }
}

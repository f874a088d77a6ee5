package io.sqlgate.reliability;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RawHttpTest {

    private static RawHttp.Response read(String wire) throws Exception {
        return RawHttp.read(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)), System.nanoTime());
    }

    @Test
    void readsALengthDelimitedAnswer() throws Exception {
        RawHttp.Response response = read("HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: 7\r\n"
                + "X-Request-Id: abc\r\n\r\n{\"a\":1}trailing");
        assertEquals(403, response.status());
        assertEquals("{\"a\":1}", response.bodyText());
        assertEquals("abc", response.header("x-request-id"));
    }

    @Test
    void readsAChunkedAnswer() throws Exception {
        RawHttp.Response response = read("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3;x=y\r\n:1}\r\n0\r\n\r\n");
        assertEquals(400, response.status());
        assertEquals("{\"a\":1}", response.bodyText());
    }

    @Test
    void noAnswerIsStatusZeroWithTheReason() throws Exception {
        RawHttp.Response response = read("");
        assertEquals(0, response.status());
        assertEquals("closed without an answer", response.failure());
    }
}

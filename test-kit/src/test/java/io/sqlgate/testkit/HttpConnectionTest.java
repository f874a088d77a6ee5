package io.sqlgate.testkit;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HttpConnectionTest {

    private static HttpConnection.Response read(String wire) throws Exception {
        return new HttpConnection(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1))).read(true, System.nanoTime());
    }

    @Test
    void readsALengthDelimitedAnswer() throws Exception {
        HttpConnection.Response response = read("HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: 7\r\n"
                + "X-Request-Id: abc\r\n\r\n{\"a\":1}trailing");
        assertEquals(403, response.status());
        assertEquals("{\"a\":1}", response.bodyText());
        assertEquals("abc", response.header("x-request-id"));
        assertEquals("application/json", response.header("Content-Type"));
        assertNull(response.failure());
    }

    @Test
    void readsAChunkedAnswer() throws Exception {
        HttpConnection.Response response = read("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3;x=y\r\n:1}\r\n0\r\n\r\n");
        assertEquals(400, response.status());
        assertEquals("{\"a\":1}", response.bodyText());
    }

    @Test
    void readsAnUnframedAnswerUntilTheServerCloses() throws Exception {
        HttpConnection.Response response = read("HTTP/1.0 200 OK\r\n\r\nall of it");
        assertEquals(200, response.status());
        assertEquals("all of it", response.bodyText());
    }

    @Test
    void noAnswerIsStatusZeroWithTheReason() throws Exception {
        HttpConnection.Response response = read("");
        assertEquals(0, response.status());
        assertEquals("closed without an answer", response.failure());
        assertEquals("not an HTTP answer: SSH-2.0-OpenSSH", read("SSH-2.0-OpenSSH\r\n").failure());
    }

    /** The benchmark's use: one connection, kept alive, for every request; each answer read to its end. */
    @Test
    void postsKeepTheConnectionAliveAndReadEachAnswerWhole() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> received = CompletableFuture.supplyAsync(() -> {
                List<String> requests = new ArrayList<>();
                try (Socket socket = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                    OutputStream out = socket.getOutputStream();
                    for (String answer : List.of("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst",
                            "HTTP/1.1 429 Too Many Requests\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nsecond\r\n0\r\n\r\n")) {
                        StringBuilder request = new StringBuilder();
                        String line;
                        while (!(line = in.readLine()).isEmpty()) {
                            request.append(line).append('\n');
                        }
                        char[] body = new char[2];
                        in.read(body);
                        requests.add(request.append(body).toString());
                        out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                    return requests;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (HttpConnection connection = new HttpConnection("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(10))) {
                assertEquals(200, connection.post("/query", "{}".getBytes(StandardCharsets.UTF_8), "X-Request-Id", "one"));
                assertEquals(429, connection.post("/query", "{}".getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer k"));
            }
            String host = "Host: 127.0.0.1:" + server.getLocalPort();
            assertEquals(List.of(
                    "POST /query HTTP/1.1\n" + host + "\nContent-Type: application/json\nContent-Length: 2\nX-Request-Id: one\n{}",
                    "POST /query HTTP/1.1\n" + host + "\nContent-Type: application/json\nContent-Length: 2\nAuthorization: Bearer k\n{}"),
                    received.get(10, TimeUnit.SECONDS), "both requests came on the one connection the server accepted");
        }
    }

    /** The hostile runs' use: the bytes go out exactly as given, however malformed, and the whole answer comes back. */
    @Test
    void sendWritesTheBytesAsTheyAreAndReadsTheWholeAnswer() throws Exception {
        byte[] malformed = "POST /query HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 9\r\n\r\n{}}".getBytes(StandardCharsets.ISO_8859_1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (Socket socket = server.accept()) {
                    byte[] bytes = socket.getInputStream().readNBytes(malformed.length);
                    socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 2\r\n\r\nno"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    return bytes;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            HttpConnection.Response response = HttpConnection.send("127.0.0.1", server.getLocalPort(), malformed, Duration.ofSeconds(10));
            assertEquals(400, response.status());
            assertEquals("no", response.bodyText());
            assertEquals("close", response.header("connection"));
            assertArrayEquals(malformed, received.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void nothingListeningIsAFailureNotAnException() throws Exception {
        int port = TierProcess.freePort();
        HttpConnection.Response response = HttpConnection.send("127.0.0.1", port, new byte[]{'x'}, Duration.ofSeconds(2));
        assertEquals(0, response.status());
        assertEquals("ConnectException: Connection refused", response.failure());
    }
}

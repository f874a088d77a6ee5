package io.sqlgate.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection on a blocking socket, the request bytes sent exactly as given and the answer read by its
 * framing (Content-Length, chunked, or until the server closes), every read bounded by a timeout. Two uses: the
 * benchmark's workers keep one alive and {@link #post} on it, spending their CPU on little but the bytes (the
 * answer's body is read and dropped); the hostile-input runs {@link #send} requests that no ordinary client would
 * build, each on a fresh connection, and look at the whole answer.
 */
public final class HttpConnection implements AutoCloseable {
    private static final int MAX_BODY = 4 * 1024 * 1024;
    private static final int MAX_LINE = 64 * 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /**
     * @param status  the status, 0 when no answer could be read
     * @param headers by lower-case name
     * @param failure why there was no answer ("timeout", "closed without an answer", ...), or null
     */
    public record Response(int status, Map<String, List<String>> headers, byte[] body, double latencyMs, String failure) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private final Duration timeout;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private final ByteArrayOutputStream request = new ByteArrayOutputStream(1024);
    private final byte[] buffer = new byte[8192];
    private final StringBuilder line = new StringBuilder(128);

    /** @param timeout the longest any read may wait (the connection is made within at most 2 s) */
    public HttpConnection(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    /** Reads one answer from a stream, as {@link #send} does. */
    HttpConnection(InputStream in) {
        this("stream", 0, Duration.ZERO);
        this.in = in;
    }

    /**
     * Posts a JSON body on this connection (made on first use, made again after the server closed it) and reads the
     * whole answer, keeping the connection for the next request. Headers are name, value pairs.
     *
     * @return the answer's status
     */
    public int post(String path, byte[] body, String... headers) throws IOException {
        if (socket == null) {
            connect();
        }
        request.reset();
        ascii("POST " + path + " HTTP/1.1\r\nHost: " + host + ':' + port + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            ascii(headers[i] + ": " + headers[i + 1] + "\r\n");
        }
        ascii("\r\n");
        request.write(body);
        try {
            request.writeTo(out);
            out.flush();
            Response response = read(false, System.nanoTime());
            if (response.status() == 0) {
                throw new IOException(response.failure());
            }
            return response.status();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /**
     * Sends the bytes as they are on a fresh connection and reads one answer. Never throws: what went wrong is the
     * answer's {@link Response#failure}.
     */
    public static Response send(String host, int port, byte[] request, Duration timeout) {
        long started = System.nanoTime();
        try (HttpConnection connection = new HttpConnection(host, port, timeout)) {
            connection.connect();
            try {
                connection.out.write(request);
                connection.out.flush();
            } catch (IOException e) {
                // the server may answer and close before reading a body it refused: read what it said
            }
            return connection.read(true, started);
        } catch (SocketTimeoutException e) {
            return failed(started, "timeout");
        } catch (IOException e) {
            return failed(started, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void connect() throws IOException {
        Socket fresh = new Socket();
        try {
            fresh.setTcpNoDelay(true);
            fresh.connect(new InetSocketAddress(host, port), (int) Math.min(timeout.toMillis(), CONNECT_TIMEOUT.toMillis()));
            fresh.setSoTimeout((int) timeout.toMillis());
            out = fresh.getOutputStream();
            in = new BufferedInputStream(fresh.getInputStream(), 16 * 1024);
            socket = fresh;
        } catch (IOException e) {
            fresh.close();
            throw e;
        }
    }

    private void ascii(String text) {
        request.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Response failed(long started, String why) {
        return new Response(0, Map.of(), new byte[0], (System.nanoTime() - started) / 1e6, why);
    }

    /**
     * One answer. With {@code keep} its headers and body are kept (the body up to 4 MiB); without, only what frames
     * the answer is looked at and the body is dropped as it is read.
     */
    Response read(boolean keep, long started) throws IOException {
        String status = line();
        if (status == null) {
            return failed(started, "closed without an answer");
        }
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            return failed(started, "not an HTTP answer: " + status);
        }
        int code = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = keep ? new LinkedHashMap<>() : Map.of();
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        String header;
        while ((header = line()) != null && !header.isEmpty()) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            } else if (name.equalsIgnoreCase("connection")) {
                closing = value.equalsIgnoreCase("close");
            }
            if (keep) {
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
            }
        }
        ByteArrayOutputStream body = keep ? new ByteArrayOutputStream() : null;
        if (chunked) {
            String size;
            while ((size = line()) != null) {
                int semicolon = size.indexOf(';');
                long chunk = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (chunk == 0) {
                    line();
                    break;
                }
                copy(chunk, body);
                line();
            }
        } else if (length >= 0) {
            copy(length, body);
        } else if (code >= 200 && code != 204 && code != 304) {
            // no framing: the body runs until the server closes
            closing = true;
            int read;
            while ((read = in.read(buffer)) >= 0 && (body == null || body.size() < MAX_BODY)) {
                if (body != null) {
                    body.write(buffer, 0, read);
                }
            }
        }
        if (closing) {
            close();
        }
        return new Response(code, headers, body == null ? new byte[0] : body.toByteArray(), (System.nanoTime() - started) / 1e6, null);
    }

    /** Reads {@code count} bytes into {@code body}, or drops them when it is null. */
    private void copy(long count, ByteArrayOutputStream body) throws IOException {
        if (body != null && body.size() + count > MAX_BODY) {
            throw new IOException("answer body of more than " + MAX_BODY + " bytes");
        }
        long left = count;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new IOException("connection closed mid-answer");
            }
            if (body != null) {
                body.write(buffer, 0, read);
            }
            left -= read;
        }
    }

    /** One line without its CRLF (or LF); null at the end of the stream before any character. */
    private String line() throws IOException {
        line.setLength(0);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            line.append((char) c);
            if (line.length() > MAX_LINE) {
                throw new IOException("a line of more than " + MAX_LINE + " bytes");
            }
        }
        return line.length() == 0 ? null : line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}

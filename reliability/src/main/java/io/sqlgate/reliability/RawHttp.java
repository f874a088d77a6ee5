package io.sqlgate.reliability;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * Sends a request as raw bytes on a fresh connection and reads one HTTP/1.1 answer (Content-Length, chunked,
 * or until the server closes), every read bounded by a timeout. Headers and framing stay exactly as built.
 */
public final class RawHttp {
    private static final int MAX_BODY = 4 * 1024 * 1024;

    private RawHttp() {
    }

    /**
     * @param status  the status, 0 when no answer could be read
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

    public static Response send(String host, int port, byte[] request, Duration timeout) {
        long started = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(timeout.toMillis(), 2_000));
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                // the server may answer and close before reading a body it refused; read what it said
            }
            return read(new BufferedInputStream(socket.getInputStream()), started);
        } catch (SocketTimeoutException e) {
            return failed(started, "timeout");
        } catch (IOException e) {
            return failed(started, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Response failed(long started, String why) {
        return new Response(0, Map.of(), new byte[0], (System.nanoTime() - started) / 1e6, why);
    }

    static Response read(InputStream in, long started) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            return failed(started, "closed without an answer");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            return failed(started, "not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String header;
        while ((header = line(in)) != null && !header.isEmpty()) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(header.substring(colon + 1).trim());
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String> length = headers.get("content-length");
        List<String> encoding = headers.get("transfer-encoding");
        if (encoding != null && encoding.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
            while (true) {
                String size = line(in);
                if (size == null) {
                    break;
                }
                int semicolon = size.indexOf(';');
                int chunk = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (chunk == 0) {
                    break;
                }
                copy(in, body, chunk);
                line(in);
            }
        } else if (length != null) {
            copy(in, body, Integer.parseInt(length.get(0)));
        } else if (status >= 200 && status != 204 && status != 304) {
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0 && body.size() < MAX_BODY) {
                body.write(buffer, 0, read);
            }
        }
        return new Response(status, headers, body.toByteArray(), (System.nanoTime() - started) / 1e6, null);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out, int count) throws IOException {
        if (count > MAX_BODY) {
            throw new IOException("answer body of " + count + " bytes");
        }
        byte[] bytes = in.readNBytes(count);
        out.write(bytes);
    }

    /** One line without its CRLF (or LF); null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = out.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            out.write(c);
            if (out.size() > 64 * 1024) {
                throw new IOException("header line over 64 KB");
            }
        }
        return out.size() == 0 ? null : out.toString(StandardCharsets.ISO_8859_1);
    }
}

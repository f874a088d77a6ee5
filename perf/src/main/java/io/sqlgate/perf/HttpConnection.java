package io.sqlgate.perf;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection on a blocking socket: the cheapest client there is, so that the load
 * generator spends its CPU on almost nothing but the bytes it must send and read.
 */
final class HttpConnection implements AutoCloseable {
    private final String host;
    private final int port;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private final ByteArrayOutputStream request = new ByteArrayOutputStream(1024);
    private final byte[] skip = new byte[8192];

    HttpConnection(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Posts a JSON body and reads the whole answer; returns the status. Headers are name, value pairs. */
    int post(String path, byte[] body, String... headers) throws IOException {
        if (socket == null) {
            connect();
        }
        request.reset();
        ascii("POST " + path + " HTTP/1.1\r\nHost: " + host + ':' + port
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            ascii(headers[i] + ": " + headers[i + 1] + "\r\n");
        }
        ascii("\r\n");
        request.write(body);
        try {
            request.writeTo(out);
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void ascii(String text) {
        request.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    private int readResponse() throws IOException {
        String status = line();
        if (status == null || !status.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        String header;
        while ((header = line()) != null && !header.isEmpty()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("connection") && value.equalsIgnoreCase("close")) {
                closing = true;
            }
        }
        if (chunked) {
            long size;
            while ((size = Long.parseLong(line().trim().split(";")[0], 16)) > 0) {
                discard(size);
                line();
            }
            line();
        } else if (length > 0) {
            discard(length);
        }
        if (closing) {
            close();
        }
        return code;
    }

    private void discard(long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            int read = in.read(skip, 0, (int) Math.min(skip.length, left));
            if (read < 0) {
                throw new IOException("connection closed mid-answer");
            }
            left -= read;
        }
    }

    private final StringBuilder lineBuffer = new StringBuilder(128);

    private String line() throws IOException {
        lineBuffer.setLength(0);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int end = lineBuffer.length();
                if (end > 0 && lineBuffer.charAt(end - 1) == '\r') {
                    lineBuffer.setLength(end - 1);
                }
                return lineBuffer.toString();
            }
            lineBuffer.append((char) c);
        }
        throw new IOException("connection closed");
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

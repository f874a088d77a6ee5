package io.sqlgate.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One hostile request, as the exact bytes sent on the wire (so that headers and framing can be as broken as an
 * attacker likes), with what it tries.
 *
 * @param category    the family of attack, e.g. "comment tricks"
 * @param description what this one does, for a person reading a failure
 * @param bytes       the whole HTTP/1.1 request
 */
public record HostileRequest(String category, String description, byte[] bytes) {

    /** A request builder; it adds {@code Host}, {@code Connection: close} and a correct {@code Content-Length} unless told not to. */
    public static final class Builder {
        private String method = "POST";
        private String path = "/query";
        private final List<byte[]> headers = new ArrayList<>();
        private byte[] body = new byte[0];
        private boolean contentLength = true;
        private String requestLine;

        public Builder method(String value) {
            this.method = value;
            return this;
        }

        public Builder path(String value) {
            this.path = value;
            return this;
        }

        /** The whole request line, replacing method and path: for broken request lines. */
        public Builder requestLine(String value) {
            this.requestLine = value;
            return this;
        }

        public Builder header(String name, String value) {
            return rawHeader((name + ": " + value).getBytes(StandardCharsets.UTF_8));
        }

        /** A header line as bytes, without its CRLF: for bytes no header may contain. */
        public Builder rawHeader(byte[] line) {
            headers.add(line);
            return this;
        }

        public Builder json(String json) {
            header("Content-Type", "application/json");
            return body(json.getBytes(StandardCharsets.UTF_8));
        }

        public Builder body(byte[] value) {
            this.body = value;
            return this;
        }

        public Builder withoutContentLength() {
            this.contentLength = false;
            return this;
        }

        public HostileRequest build(String category, String description) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 512);
            out.writeBytes((requestLine != null ? requestLine : method + " " + path + " HTTP/1.1").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(crlf("Host: 127.0.0.1"));
            for (byte[] header : headers) {
                out.writeBytes(new byte[]{'\r', '\n'});
                out.writeBytes(header);
            }
            if (contentLength) {
                out.writeBytes(crlf("Content-Length: " + body.length));
            }
            out.writeBytes(crlf("Connection: close"));
            out.writeBytes(new byte[]{'\r', '\n', '\r', '\n'});
            out.writeBytes(body);
            return new HostileRequest(category, description, out.toByteArray());
        }

        private static byte[] crlf(String line) {
            return ("\r\n" + line).getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}

package io.sqlgate.proxy.query;

/**
 * The bytes a read's answer may still take, counted as each value is read off the driver: the answer's JSON
 * never grows past the limit in memory, whatever the rows hold. A value is counted at what its JSON encoding
 * costs at most (a quote or a control character as an escape, a character outside ASCII as its UTF-8 bytes), so
 * the answer the proxy sends is never larger than the limit plus its envelope.
 */
final class ResultBudget {
    /** A number's JSON at most: DECIMAL(65, 30) with its sign, point and exponent. */
    private static final int MAX_NUMBER_BYTES = 70;
    private final long limit;
    private long spent;

    ResultBudget(long limit) {
        this.limit = limit;
    }

    /** @return false once the values counted so far no longer fit */
    boolean spend(Object jsonValue) {
        spent += 1 + size(jsonValue); // and its comma or bracket
        return spent <= limit;
    }

    long limit() {
        return limit;
    }

    static long size(Object value) {
        if (value == null) {
            return 4;
        }
        if (value instanceof Boolean) {
            return 5;
        }
        if (value instanceof Number) {
            return MAX_NUMBER_BYTES;
        }
        String text = value.toString();
        long bytes = 2;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20) {
                bytes += 6; // \u0000
            } else if (c == '"' || c == '\\') {
                bytes += 2;
            } else if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else {
                bytes += 3; // a surrogate pair is 4 bytes for 2 chars: within this
            }
        }
        return bytes;
    }
}

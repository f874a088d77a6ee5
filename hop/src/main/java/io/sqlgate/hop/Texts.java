package io.sqlgate.hop;

/** Short excerpts of longer texts, for messages and logs: a message's first line, a value cut to a length. */
public final class Texts {
    private Texts() {
    }

    /** The first line of a text, trimmed; {@code ifNone} when there is no text or only blank space. */
    public static String firstLine(String text, String ifNone) {
        String line = text == null ? "" : text.lines().findFirst().orElse("").trim();
        return line.isEmpty() ? ifNone : line;
    }

    /** The text, or its first {@code max} characters followed by "..." when it is longer. */
    public static String clip(String text, int max) {
        return text.length() > max ? text.substring(0, max) + "..." : text;
    }
}

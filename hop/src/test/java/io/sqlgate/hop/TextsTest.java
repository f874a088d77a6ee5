package io.sqlgate.hop;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TextsTest {

    @Test
    void theFirstLineIsTheTextUpToItsFirstLineBreakTrimmed() {
        assertEquals("Access denied for user", Texts.firstLine("  Access denied for user \r\nat line 2\nline 3", "none"));
        assertEquals("one line", Texts.firstLine("one line", "none"));
        assertEquals("none", Texts.firstLine(null, "none"));
        assertEquals("none", Texts.firstLine("", "none"));
        assertEquals("none", Texts.firstLine("  \nsecond", "none"));
    }

    @Test
    void aClippedTextKeepsItsFirstCharactersAndSaysItWasCut() {
        assertEquals("abc", Texts.clip("abc", 3));
        assertEquals("ab...", Texts.clip("abc", 2));
        assertEquals("", Texts.clip("", 0));
        assertEquals("x".repeat(40) + "...", Texts.clip("x".repeat(41), 40));
    }
}

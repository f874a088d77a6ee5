package io.sqlgate.reliability;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostileCorpusTest {
    private final List<HostileRequest> corpus = HostileCorpus.generate(42, 2_400, "writer-key", "reader-key");

    @Test
    void theSameSeedGivesTheSameRequests() {
        List<HostileRequest> again = HostileCorpus.generate(42, 2_400, "writer-key", "reader-key");
        for (int i = 0; i < corpus.size(); i++) {
            assertArrayEquals(corpus.get(i).bytes(), again.get(i).bytes(), "request " + i);
        }
    }

    @Test
    void everyFamilyIsThereInEqualShareAndVaried() {
        assertEquals(Set.copyOf(HostileCorpus.CATEGORIES), corpus.stream().map(HostileRequest::category).collect(Collectors.toSet()));
        for (String family : HostileCorpus.CATEGORIES) {
            List<HostileRequest> mine = corpus.stream().filter(r -> r.category().equals(family)).toList();
            assertEquals(200, mine.size(), family);
            Set<String> distinct = new HashSet<>();
            mine.forEach(r -> distinct.add(new String(r.bytes(), StandardCharsets.ISO_8859_1)));
            assertTrue(distinct.size() > 50, family + " has only " + distinct.size() + " distinct requests");
        }
    }

    @Test
    void requestsAreHttpWithTheirOwnFramingAndNeverAnAcceptableStatementWithTheWriterKey() {
        for (HostileRequest request : corpus) {
            String text = new String(request.bytes(), StandardCharsets.ISO_8859_1);
            assertTrue(text.contains("\r\n\r\n"), request.description());
            assertFalse(request.description().isBlank());
            // the one statement that would be accepted alone never travels alone
            assertFalse(text.endsWith("{\"sql\":\"INSERT INTO direct_table (column1) VALUES ('stacked')\"}"), request.description());
        }
    }

    @Test
    void mutationsKeepTheStatementButNotItsSpelling() {
        List<HostileRequest> stacked = corpus.stream().filter(r -> r.category().equals("stacked statements")).toList();
        long withOddSpacing = stacked.stream().map(r -> new String(r.bytes(), StandardCharsets.UTF_8))
                .filter(t -> t.contains("/**/") || t.contains("\\t") || t.contains("\\n")).count();
        assertTrue(withOddSpacing > 20, withOddSpacing + " of " + stacked.size());
    }
}

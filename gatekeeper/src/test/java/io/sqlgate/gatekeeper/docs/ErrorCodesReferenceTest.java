package io.sqlgate.gatekeeper.docs;

import io.sqlgate.gatekeeper.api.ErrorCodeScan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/errors.md against the codes the tiers can answer with, as {@link ErrorCodeScan} reads them from the sources:
 * the same codes, each at the statuses the code gives it, in the tiers whose sources answer it, and with
 * {@code Retry-After} exactly where the code sends it.
 */
class ErrorCodesReferenceTest {
    private static final String PAGE = "docs/errors.md";
    /** Where a site's source is, the tier that answers it; sources of the shared modules are answered by several. */
    private static final Map<String, String> TIER_OF_MODULE = Map.of("gatekeeper/", "gatekeeper", "trusted-host/", "trusted host",
            "proxy/", "proxy");

    private static Map<String, List<ErrorCodeScan.Site>> emitted;
    private static Map<String, MarkdownTables.Row> documented;

    @BeforeAll
    static void read() {
        emitted = ErrorCodeScan.sites().stream().collect(Collectors.groupingBy(ErrorCodeScan.Site::code, TreeMap::new, Collectors.toList()));
        documented = new LinkedHashMap<>();
        for (MarkdownTables.Row row : MarkdownTables.rows(MarkdownTables.page(PAGE), "code")) {
            assertTrue(documented.put(row.name(), row) == null, PAGE + ":" + row.line() + " documents " + row.name() + " twice");
        }
    }

    @Test
    void theReferenceHasEveryCodeAndNoOther() {
        Set<String> missing = new TreeSet<>(emitted.keySet());
        missing.removeAll(documented.keySet());
        Set<String> gone = new TreeSet<>(documented.keySet());
        gone.removeAll(emitted.keySet());
        assertTrue(missing.isEmpty(), PAGE + " does not document " + missing.stream()
                .map(code -> code + " (" + emitted.get(code).get(0).where() + ")").toList());
        assertTrue(gone.isEmpty(), PAGE + " documents codes no tier answers with: " + gone);
    }

    @Test
    void eachCodeHasTheStatusesTheCodeGivesIt() {
        List<String> wrong = new ArrayList<>();
        emitted.forEach((code, sites) -> {
            MarkdownTables.Row row = documented.get(code);
            if (row == null) {
                return;
            }
            Set<Integer> statuses = sites.stream().map(ErrorCodeScan.Site::status).collect(Collectors.toCollection(TreeSet::new));
            Set<Integer> written = Arrays.stream(row.cell(1).split("[^0-9]+")).filter(s -> !s.isEmpty()).map(Integer::valueOf)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!statuses.equals(written)) {
                wrong.add(code + ": " + written + " in " + PAGE + ", " + statuses + " in the code");
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void eachCodeNamesTheTiersWhoseSourcesAnswerIt() {
        List<String> wrong = new ArrayList<>();
        emitted.forEach((code, sites) -> {
            MarkdownTables.Row row = documented.get(code);
            if (row == null) {
                return;
            }
            String tiers = row.cell(2);
            for (ErrorCodeScan.Site site : sites) {
                String tier = site.where().startsWith("JsonErrorResponseProcessor") ? "every tier"
                        : TIER_OF_MODULE.entrySet().stream().filter(e -> site.where().startsWith(e.getKey())).map(Map.Entry::getValue)
                        .findFirst().orElse(null);
                if (tier != null && !tiers.contains(tier) && !tiers.equals("every tier")) {
                    wrong.add(code + ": answered by the " + tier + " (" + site.where() + "), the tier cell says " + tiers);
                }
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void retryAfterIsNamedExactlyWhereTheCodeSendsIt() {
        List<String> wrong = new ArrayList<>();
        documented.forEach((code, row) -> {
            String retry = row.cell(4);
            if (!retry.startsWith("yes") && !retry.startsWith("no")) {
                wrong.add(code + ": the retry cell must start with yes or no: " + retry);
            }
            boolean sent = emitted.getOrDefault(code, List.of()).stream().anyMatch(ErrorCodeScan.Site::retryAfter);
            if (sent != retry.contains("`Retry-After`")) {
                wrong.add(code + ": the code " + (sent ? "sends" : "does not send") + " Retry-After, the retry cell says: " + retry);
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void everyRowSaysWhatToDo() {
        documented.forEach((code, row) -> assertEquals(6, row.cells().size(), PAGE + ":" + row.line() + " " + code + " needs six cells"));
        documented.forEach((code, row) -> assertTrue(!row.cell(3).isBlank() && !row.cell(5).isBlank(),
                PAGE + ":" + row.line() + " " + code + " needs a meaning and what to do"));
    }
}

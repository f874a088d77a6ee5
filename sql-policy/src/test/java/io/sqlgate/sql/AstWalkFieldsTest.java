package io.sqlgate.sql;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AstWalk} reads JSqlParser's nodes field by field, by reflection, so that no clause goes unseen; its
 * decisions name some fields ({@code withItemsList}, a column's {@code table}, {@code forUpdateTable}, the flags it
 * accepts). An upgrade of JSqlParser that adds, renames or retypes a field of a node the walk accepts changes what
 * the walk sees, so this test fails on it, loudly, with the difference: check each changed field against the walk
 * (is it a new clause that may hold a table or a function? a new flag of another dialect?), then record the new
 * fields with {@code -Dsqlgate.record-parser-fields=true}.
 */
class AstWalkFieldsTest {
    private static final String RECORD = "jsqlparser-fields.txt";

    private static List<String> fields() throws ClassNotFoundException {
        TreeSet<String> lines = new TreeSet<>();
        for (String name : AstWalk.ACCEPTED) {
            Class<?> type = Class.forName(name);
            for (Field field : AstWalk.FIELDS.get(type)) {
                lines.add(name + "." + field.getName() + " : " + field.getGenericType().getTypeName());
            }
        }
        return new ArrayList<>(lines);
    }

    @Test
    void theFieldsOfEveryAcceptedNodeAreTheOnesTheWalkWasCheckedAgainst() throws Exception {
        List<String> now = fields();
        if (Boolean.getBoolean("sqlgate.record-parser-fields")) {
            Files.write(Path.of("src/test/resources", RECORD), now, StandardCharsets.UTF_8);
        }
        List<String> recorded = Files.readAllLines(Path.of("src/test/resources", RECORD), StandardCharsets.UTF_8);
        List<String> added = now.stream().filter(f -> !recorded.contains(f)).toList();
        List<String> removed = recorded.stream().filter(f -> !now.contains(f)).toList();
        assertTrue(added.isEmpty() && removed.isEmpty(), "JSqlParser's nodes changed; check AstWalk against them."
                + "\n  new or changed: " + added + "\n  gone or changed: " + removed);
    }

    @Test
    void everyFieldTheWalkNamesExists() throws Exception {
        List<String> now = fields();
        for (String flag : AstWalk.ACCEPTED_FLAGS) {
            String simple = flag.substring(0, flag.indexOf('.'));
            String field = flag.substring(flag.indexOf('.') + 1);
            assertTrue(now.stream().anyMatch(f -> f.contains("." + simple + "." + field + " : ") && (f.endsWith(" : boolean")
                    || f.endsWith(" : java.lang.Boolean"))), "the accepted flag " + flag + " is no boolean field of " + simple);
        }
        for (String named : List.of("statement.insert.Insert.withItemsList", "statement.update.Update.withItemsList",
                "statement.delete.Delete.withItemsList", "schema.Column.table", "statement.select.AllTableColumns.table",
                "statement.select.PlainSelect.forUpdateTable", "expression.CastExpression.keyword")) {
            assertTrue(now.stream().anyMatch(f -> f.startsWith("net.sf.jsqlparser." + named + " : ")), "no field " + named);
        }
        assertEquals(1, now.stream().filter(f -> f.startsWith("net.sf.jsqlparser.schema.Column.table : ")).count());
    }
}

package io.sqlgate.reliability;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** How the server's reading is taken from its rewritten statement, and from its refusals. */
class DifferentialCheckTest {

    @Test
    void tablesAndCallsAreReadFromTheRewrittenStatement() {
        DifferentialCheck.Reading reading = DifferentialCheck.read("/* select#1 */ select `main_db`.`d`.`id` AS `id`,ucase(`main_db`.`d`.`column1`)"
                + " AS `UPPER(column1)`,<expr_cache><`main_db`.`d`.`id`>((/* select#2 */ select max(`main_db`.`r`.`id`) from"
                + " `main_db`.`random_table` `r` where `main_db`.`r`.`id` = `<subquery2>`.`id`)) from `main_db`.`direct_table` `d`"
                + " where `main_db`.`d`.`column1` = 'sleep(1) from `mysql`.`user`' order by concat(`main_db`.`d`.`column1`,'x')");
        assertEquals(Set.of("main_db.random_table", "main_db.direct_table"), reading.tables());
        assertEquals(Set.of("ucase", "max", "concat"), reading.functions()); // not the call inside the string
    }

    /** The attacker's review found these two only as errors: each names what the server looked for. */
    @Test
    void aRefusalNamesWhatTheServerLookedFor() {
        DifferentialCheck.Reading sequence = DifferentialCheck.refusal("(conn=12) Unknown SEQUENCE: 'SHARE'");
        assertEquals(Set.of("sequence share"), sequence.functions());
        assertFalse(sequence.explained());
        assertEquals(Set.of("main_db.only"), DifferentialCheck.refusal("Table 'main_db.ONLY' doesn't exist").tables());
        assertEquals(Set.of("mysql.user"), DifferentialCheck.refusal(
                "SELECT command denied to user 'sqlgate_app'@'localhost' for table `mysql`.`user`").tables());
        assertEquals(Set.of("main_db.concat"), DifferentialCheck.refusal("FUNCTION main_db.concat does not exist").functions());
    }
}

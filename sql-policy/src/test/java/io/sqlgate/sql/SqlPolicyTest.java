package io.sqlgate.sql;

import io.sqlgate.hop.wire.ApiRoute;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SqlPolicyTest {
    static final SqlPolicy POLICY = new SqlPolicy("main_db", List.of("direct_table", "random_table", "customized_table"));

    static void check(String sql, Role role, ApiRoute route) {
        POLICY.check(SqlParser.parse(sql), role, route);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM direct_table LIMIT 1",
            "SELECT * FROM main_db.random_table WHERE id = ?",
            "SELECT * FROM `main_db`.`customized_table`",
            "SELECT d.id FROM direct_table d JOIN random_table r ON d.id = r.id",
            "WITH recent AS (SELECT * FROM direct_table ORDER BY id DESC LIMIT 5) SELECT * FROM recent",
            "SELECT COUNT(*), MAX(id), CONCAT(column1, column2) FROM customized_table GROUP BY column1",
            "SELECT UPPER(column1), DATE_FORMAT(NOW(), '%Y'), JSON_EXTRACT(column1, '$.a'), COALESCE(column2, 0) FROM direct_table",
            "SELECT id, RANK() OVER (ORDER BY id), CAST(id AS CHAR), CURRENT_TIMESTAMP FROM direct_table",
    })
    void readersMayReadAllowedTables(String sql) {
        assertDoesNotThrow(() -> check(sql, Role.READER, ApiRoute.QUERY));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO direct_table (column1, column2) VALUES ('a', 'b')",
            "UPDATE random_table SET column1 = ? WHERE id = ?",
            "DELETE FROM customized_table WHERE id < 0",
            "INSERT INTO direct_table (column1) SELECT column1 FROM random_table WHERE id = 1",
            "SELECT * FROM direct_table WHERE id = 1 FOR UPDATE",
    })
    void writersMayWriteAllowedTables(String sql) {
        assertDoesNotThrow(() -> check(sql, Role.WRITER, ApiRoute.QUERY));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "INSERT INTO direct_table (column1) VALUES ('x')                 | READER | ROLE_FORBIDDEN",
            "SELECT * FROM direct_table FOR UPDATE                           | READER | ROLE_FORBIDDEN",
            "SELECT * FROM direct_table WHERE id = 1                         | AUDITOR | ROLE_FORBIDDEN",
            "INSERT INTO direct_table (column1) VALUES ('x')                 | AUDITOR | ROLE_FORBIDDEN",
            "DROP TABLE direct_table                                         | WRITER | SQL_FORBIDDEN",
            "SELECT * FROM mysql.user                                        | WRITER | SYSTEM_SCHEMA_FORBIDDEN",
            "SELECT * FROM direct_table WHERE id IN (SELECT 1 FROM sys.x)    | WRITER | SYSTEM_SCHEMA_FORBIDDEN",
            "SELECT * FROM performance_schema.threads                        | WRITER | SYSTEM_SCHEMA_FORBIDDEN",
            "SELECT * FROM sqlgate_audit.write_entry                         | WRITER | SYSTEM_SCHEMA_FORBIDDEN",
            "DELETE FROM `SQLGATE_AUDIT`.write_entry WHERE id > 0            | WRITER | SYSTEM_SCHEMA_FORBIDDEN",
            "INSERT INTO direct_table (column1) SELECT digest FROM sqlgate_audit.write_entry | WRITER | SYSTEM_SCHEMA_FORBIDDEN",
            "SELECT * FROM `Main_Db`.`Customized_Table`                      | READER | TABLE_FORBIDDEN",
            "SELECT * FROM DIRECT_TABLE                                      | READER | TABLE_FORBIDDEN",
            "SELECT * FROM MySQL.user                                        | READER | SYSTEM_SCHEMA_FORBIDDEN",
            "SELECT * FROM users                                             | WRITER | TABLE_FORBIDDEN",
            "SELECT * FROM other.direct_table                                | WRITER | TABLE_FORBIDDEN",
            "INSERT INTO direct_table (column1) SELECT name FROM secrets     | WRITER | TABLE_FORBIDDEN",
            "WITH direct_table AS (SELECT * FROM secrets) SELECT * FROM direct_table | WRITER | TABLE_FORBIDDEN",
            "SELECT SLEEP(1)                                                 | WRITER | FUNCTION_FORBIDDEN",
            "SELECT * FROM direct_table WHERE id = BENCHMARK(1000, MD5('a')) | WRITER | FUNCTION_FORBIDDEN",
            "SELECT `load_file`('/etc/passwd')                               | WRITER | FUNCTION_FORBIDDEN",
            "SELECT USER()                                                   | WRITER | FUNCTION_FORBIDDEN",
            "SELECT WSREP_SYNC_WAIT_UPTO_GTID('0-1-999999999', 420)          | READER | FUNCTION_FORBIDDEN",
            "SELECT DATABASE(), SCHEMA()                                     | READER | FUNCTION_FORBIDDEN",
            "SELECT CURRENT_ROLE                                             | READER | FUNCTION_FORBIDDEN",
            "SELECT CURRENT_USER FROM direct_table                           | READER | FUNCTION_FORBIDDEN",
            "SELECT UUID(), UUID_SHORT()                                     | READER | FUNCTION_FORBIDDEN",
            "SELECT WSREP_LAST_SEEN_GTID()                                   | READER | FUNCTION_FORBIDDEN",
            "SELECT sys.version_major()                                      | READER | FUNCTION_FORBIDDEN",
            "SELECT mysql.anything() FROM direct_table                       | READER | FUNCTION_FORBIDDEN",
            "SELECT main_db.concat('a') FROM direct_table                    | READER | FUNCTION_FORBIDDEN",
            "SELECT `concat`('a') FROM direct_table                          | READER | FUNCTION_FORBIDDEN",
            "SELECT NEXTVAL(mysql.user)                                      | READER | FUNCTION_FORBIDDEN",
            "SELECT LASTVAL(mysql.user)                                      | READER | FUNCTION_FORBIDDEN",
            "SELECT GET_LOCK('k', 10), RELEASE_LOCK('k')                     | READER | FUNCTION_FORBIDDEN",
            "SELECT CONNECTION_ID(), LAST_INSERT_ID(), FOUND_ROWS()          | READER | FUNCTION_FORBIDDEN",
            "SELECT MASTER_GTID_WAIT('0-1-1', 10)                            | READER | FUNCTION_FORBIDDEN",
            "SELECT id FROM direct_table ORDER BY VERSION()                  | READER | FUNCTION_FORBIDDEN",
            "UPDATE direct_table SET column1 = 'x'                           | WRITER | WHERE_REQUIRED",
            "DELETE FROM direct_table                                        | WRITER | WHERE_REQUIRED",
    })
    void refusals(String sql, Role role, String code) {
        SqlRejectedException e = assertThrows(SqlRejectedException.class, () -> check(sql.trim(), role, ApiRoute.QUERY));
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(403, e.status());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SELECT * FROM direct_table | POPULATE_TABLES",
            "DELETE FROM direct_table WHERE id = 1 | FETCH_RANDOM",
    })
    void statementsMustMatchTheirRoute(String sql, ApiRoute route) {
        assertEquals("ROUTE_MISMATCH", assertThrows(SqlRejectedException.class, () -> check(sql, Role.WRITER, route)).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "sqlgate_audit", "SQLGATE_AUDIT", " information_schema "})
    void thePolicysDatabaseIsNeverASystemSchema(String database) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new SqlPolicy(database, List.of("direct_table")));
        assertEquals("The policy's database may not be a system schema: " + database.trim(), refused.getMessage());
    }
}

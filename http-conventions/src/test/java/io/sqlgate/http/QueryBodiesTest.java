package io.sqlgate.http;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.sqlgate.hop.wire.QueryRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryBodiesTest {
    private final QueryBodies bodies = new QueryBodies();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"sql": ["SELECT 1"]}                              | Invalid body (line 1, column 9): field "sql" must be a string, got an array
            {"sql": 12}                                        | field "sql" must be a string, got a number
            {"sql": true}                                      | field "sql" must be a string, got a boolean
            {"sql": {"text": "SELECT 1"}}                      | field "sql" must be a string, got an object
            {"sql": "SELECT 1", "strategy": 1}                 | field "strategy" must be a string, got a number
            {"sql": "SELECT 1", "strategy": ["random"]}        | field "strategy" must be a string, got an array
            {"sql": "SELECT ?", "params": "x"}                 | field "params" must be an array, got a string
            {"sql": "SELECT ?", "params": {"0": 1}}            | field "params" must be an array, got an object
            {"sql": "SELECT 1", "sql": "DELETE FROM t"}        | duplicate field "sql"
            {"params": [], "sql": "SELECT 1", "params": [1]}   | duplicate field "params"
            {"sql": "SELECT 1"} {"sql": "DELETE FROM t"}       | content after the JSON object
            {"sql": "SELECT 1"}junk                            | content after the JSON object
            {"sql": "SELECT 1"}]                               | content after the JSON object
            {"sql": "SELECT 1", "foo": 1}                      | unknown field "foo"; the fields are sql, params, strategy
            {"sql": "SELECT 1", "statementClass": "read"}      | unknown field "statementClass"; the fields are sql, params, strategy
            ["SELECT 1"]                                       | the body must be a JSON object, got an array
            "SELECT 1"                                         | the body must be a JSON object, got a string
            12                                                 | the body must be a JSON object, got a number
            null                                               | the body must be a JSON object, got null
            {"sql": "SELECT 1",}                               | Invalid body (line 1, column 20): the body is not valid JSON
            {'sql': 'SELECT 1'}                                | Invalid body (line 1, column 2): the body is not valid JSON
            {"sql":                                            | the body ends before its JSON object does
            """)
    void refusesWhatIsNotExactlyAQuery(String body, String problem) {
        ApiException refused = assertThrows(ApiException.class, () -> bodies.readPublic(utf8(body)));
        assertEquals("BODY_INVALID", refused.code());
        assertEquals(400, refused.status());
        assertTrue(refused.getMessage().contains(problem), refused.getMessage());
    }

    @Test
    void aSignedHopMayCarryTheStatementClassButNothingElse() {
        QueryRequest signed = bodies.readSigned(utf8("{\"sql\": \"SELECT 1\", \"statementClass\": \"read\"}"));
        assertEquals("read", signed.statementClass());
        ApiException unknown = assertThrows(ApiException.class, () -> bodies.readSigned(utf8("{\"sql\": \"SELECT 1\", \"foo\": 1}")));
        assertEquals("BODY_INVALID", unknown.code());
        assertTrue(unknown.getMessage().contains("unknown field \"foo\"; the fields are sql, params, strategy, statementClass"),
                unknown.getMessage());
        ApiException notAString = assertThrows(ApiException.class, () -> bodies.readSigned(utf8("{\"statementClass\": 1}")));
        assertTrue(notAString.getMessage().contains("field \"statementClass\" must be a string, got a number"), notAString.getMessage());
    }

    @Test
    void aMissingBodyIsBodyMissing() {
        assertEquals("BODY_MISSING", assertThrows(ApiException.class, () -> bodies.readPublic(null)).code());
        assertEquals("BODY_MISSING", assertThrows(ApiException.class, () -> bodies.readSigned(new byte[0])).code());
        ApiException blank = assertThrows(ApiException.class, () -> bodies.readPublic(utf8("  \n")));
        assertEquals("BODY_INVALID", blank.code());
        assertTrue(blank.getMessage().contains("the body has no JSON value"), blank.getMessage());
    }

    @Test
    void nullOrAbsentFieldsAreLeftToTheLaterChecks() {
        QueryRequest empty = bodies.readPublic(utf8("{}"));
        assertNull(empty.sql());
        assertEquals(List.of(), empty.paramsOrEmpty());
        QueryRequest nulls = bodies.readPublic(utf8("{\"sql\": null, \"params\": null, \"strategy\": null}"));
        assertNull(nulls.sql());
        assertNull(nulls.params());
        assertNull(nulls.strategy());
    }

    @Test
    void everyParameterTypeKeepsItsExactValue() {
        QueryRequest query = bodies.readPublic(utf8("""
                {"sql": "SELECT ?", "strategy": "random", "params": ["text \\u00e9 \\"q\\"", 1, -2147483649, 123456789012345678901234567890,
                 0.1, 1.50, 1e400, -2.5E-3, true, false, null]}"""));
        assertEquals("SELECT ?", query.sql());
        assertEquals("random", query.strategy());
        List<Object> expected = Arrays.asList("text \u00e9 \"q\"", 1, -2147483649L, new BigInteger("123456789012345678901234567890"),
                new BigDecimal("0.1"), new BigDecimal("1.50"), new BigDecimal("1e400"), new BigDecimal("-2.5E-3"), true, false, null);
        assertEquals(expected, query.params());
        for (int i = 0; i < expected.size(); i++) {
            Object value = expected.get(i);
            assertEquals(value == null ? null : value.getClass(), query.params().get(i) == null ? null : query.params().get(i).getClass(),
                    "parameter " + (i + 1));
        }
    }

    @Test
    void nestedParametersAreParamsInvalid() {
        for (String params : List.of("[[1]]", "[1, {\"a\": 1}]", "[1, 2, [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]")) {
            ApiException refused = assertThrows(ApiException.class,
                    () -> bodies.readPublic(utf8("{\"sql\": \"SELECT ?\", \"params\": " + params + "}")));
            assertEquals("PARAMS_INVALID", refused.code(), params);
            assertTrue(refused.getMessage().contains("is an array or object"), refused.getMessage());
        }
    }

    @Test
    void atMostAThousandParameters() {
        String thousand = String.join(",", Collections.nCopies(1000, "1"));
        assertEquals(1000, bodies.readPublic(utf8("{\"params\": [" + thousand + "]}")).params().size());
        ApiException refused = assertThrows(ApiException.class, () -> bodies.readPublic(utf8("{\"params\": [" + thousand + ",1]}")));
        assertEquals("PARAMS_INVALID", refused.code());
        assertTrue(refused.getMessage().contains("At most 1000 parameters"), refused.getMessage());
    }

    @Test
    void aDecimalWithAnEnormousExponentIsRefused() {
        // Bound as a decimal it would be written out in full: a billion digits.
        ApiException refused = assertThrows(ApiException.class, () -> bodies.readPublic(utf8("{\"params\": [1e999999999]}")));
        assertEquals("PARAMS_INVALID", refused.code());
        assertTrue(refused.getMessage().contains("Parameter 1 is a number out of range"), refused.getMessage());
    }

    @Test
    void onlyUtf8() {
        byte[] utf16 = "{\"sql\": \"SELECT 1\"}".getBytes(StandardCharsets.UTF_16LE);
        ApiException refused = assertThrows(ApiException.class, () -> bodies.readPublic(utf16));
        assertEquals("BODY_INVALID", refused.code());
        assertTrue(refused.getMessage().contains("UTF-8"), refused.getMessage());
        byte[] badByte = {'{', '"', 's', 'q', 'l', '"', ':', '"', (byte) 0xFF, '"', '}'};
        ApiException invalid = assertThrows(ApiException.class, () -> bodies.readPublic(badByte));
        assertEquals("BODY_INVALID", invalid.code());
        assertTrue(invalid.getMessage().contains("Invalid body (line 1, column 10): the body is not valid UTF-8"), invalid.getMessage());
    }

    @Test
    void messagesShowNoParserInternals() {
        for (String body : List.of("{\"sql\": \"SELECT 1\",}", "{\"sql\" \"x\"}", "{\"sql\": \"x\"}\u0000", "{\"sql\": 01}", "{\"sql\": NaN}")) {
            String message = assertThrows(ApiException.class, () -> bodies.readPublic(utf8(body))).getMessage();
            for (String internal : List.of("com.fasterxml", "Source:", "Exception", "REDACTED", "code 1", "token")) {
                assertTrue(!message.contains(internal), message);
            }
        }
    }

    @Test
    void whatTheGatekeeperReSerialisesIsReadTheSameOnTheSignedHops() throws Exception {
        try (ApplicationContext context = ApplicationContext.run()) {
            JsonMapper json = context.getBean(JsonMapper.class);
            QueryRequest read = bodies.readPublic(utf8(
                    "{\"sql\": \"SELECT ?\", \"params\": [\"a\", 1, 3000000000, 123456789012345678901234567890, 0.1, 1e400, true, null],"
                            + " \"strategy\": \"direct\"}"));
            QueryRequest forwarded = new QueryRequest(read.sql(), read.params(), read.strategy(), "read");
            QueryRequest again = bodies.readSigned(json.writeValueAsBytes(forwarded));
            assertEquals(forwarded, again);
            QueryRequest bare = new QueryRequest("SELECT 1", null, null, "read");
            assertEquals(bare, bodies.readSigned(json.writeValueAsBytes(bare)));
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsASignedSearchOfTheLedgerStrictly() {
        io.sqlgate.hop.wire.AuditQuery search = bodies.readSignedAudit(("{\"requestId\": \"r\", \"table\": null, \"limit\": 5,"
                + " \"caller\": \"auditor-key\", \"role\": \"auditor\"}").getBytes(StandardCharsets.UTF_8));
        assertEquals(new io.sqlgate.hop.wire.AuditQuery("r", null, null, null, null, null, 5, "auditor-key", "auditor"), search);
        for (String body : List.of("{\"limit\": \"5\"}", "{\"limit\": 5.5}", "{\"limit\": 99999999999}", "{\"role\": 1}",
                "{\"sql\": \"SELECT 1\"}", "{\"role\": \"a\", \"role\": \"auditor\"}", "[]", "{} {}", "")) {
            ApiException refused = assertThrows(ApiException.class, () -> bodies.readSignedAudit(body.getBytes(StandardCharsets.UTF_8)), body);
            assertEquals(400, refused.status(), body);
        }
    }
}

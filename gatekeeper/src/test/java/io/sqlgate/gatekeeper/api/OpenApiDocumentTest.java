package io.sqlgate.gatekeeper.api;

import io.sqlgate.hop.wire.ApiRoute;
import io.sqlgate.hop.wire.ErrorBody;
import io.sqlgate.hop.wire.HopHeaders;
import io.sqlgate.hop.wire.PopulateResult;
import io.sqlgate.hop.wire.ReadResult;
import io.sqlgate.hop.wire.Strategy;
import io.sqlgate.hop.wire.WriteResult;
import io.sqlgate.http.ApiException;
import io.sqlgate.http.QueryBodies;
import io.sqlgate.sql.Role;
import io.sqlgate.sql.SqlParser;
import io.sqlgate.sql.SqlPolicy;
import io.sqlgate.sql.SqlRejectedException;
import io.sqlgate.sql.StatementClass;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The API description ({@code public/openapi.yml}, served at {@code GET /openapi.yml}) says what the tiers do, and
 * is checked against the code rather than against a copy of it: its POST paths are the routes, its request body the
 * fields the body reader accepts, its error codes, by status, every code some tier answers with (read from the
 * sources) and no other, its roles and routes the statement classes the SQL policy lets through, its headers the ones
 * the tiers send, its answers the wire records. And it is valid OpenAPI 3, read strictly.
 */
class OpenApiDocumentTest {
    /**
     * Codes of the signed hops between tiers: a client meets them only when the tiers disagree (a secret, a
     * configuration or a version differs), relayed by the gatekeeper; the document names them as such.
     */
    private static final Set<String> INTERNAL_CODES = Set.of("HOP_SIGNATURE_INVALID", "KEY_MISSING", "ROLE_INVALID",
            "STATEMENT_CLASS_INVALID", "STATEMENT_CLASS_MISMATCH");
    /** Statuses no documented operation answers: another path (404) or another method (405). */
    private static final Set<String> OTHER_REQUESTS = Set.of("404", "405");
    /** One statement of each class, on a table of the default allow-list. */
    private static final Map<StatementClass, String> SAMPLES = new EnumMap<>(Map.of(
            StatementClass.READ, "SELECT id FROM direct_table",
            StatementClass.LOCKING_READ, "SELECT id FROM direct_table WHERE id = 1 FOR UPDATE",
            StatementClass.INSERT, "INSERT INTO direct_table (column1) VALUES ('x')",
            StatementClass.UPDATE, "UPDATE direct_table SET column1 = 'x' WHERE id = 1",
            StatementClass.DELETE, "DELETE FROM direct_table WHERE id = 1"));
    /** The hop's own headers: between tiers only, never relayed to the client. */
    private static final Set<String> HOP_ONLY_HEADERS = Set.of(HopHeaders.TIMESTAMP, HopHeaders.SIGNATURE);
    /** The headers only a read's answer can have. */
    private static final Set<String> READ_HEADERS = Set.of(HopHeaders.FALLBACK, HopHeaders.TRUNCATED);

    private static String text;
    private static Map<String, Object> document;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getClassLoader().getResourceAsStream(OpenApiController.RESOURCE)) {
            assertNotNull(in, OpenApiController.RESOURCE);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        LoaderOptions strict = new LoaderOptions();
        strict.setAllowDuplicateKeys(false);
        document = new Yaml(strict).load(text);
    }

    // Valid OpenAPI 3, read strictly

    @Test
    void isValidOpenApi3() {
        assertTrue(String.valueOf(document.get("openapi")).startsWith("3.0."), "openapi: " + document.get("openapi"));
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, options);
        assertNotNull(result.getOpenAPI(), "not read as OpenAPI: " + result.getMessages());
        assertEquals(List.of(), result.getMessages(), "the validator's findings");
    }

    @Test
    void noObjectHasAKeyOpenApiDoesNotDefineAndNoValueIsMissing() {
        List<String> problems = new ArrayList<>();
        noNulls("", document, problems);
        Map<String, Object> components = map(document.get("components"));
        map(components.get("schemas")).forEach((name, schema) -> checkSchema("components.schemas." + name, schema, problems));
        map(components.get("responses")).forEach((name, response) -> checkResponse("components.responses." + name, response, problems));
        map(components.get("headers")).forEach((name, header) -> checkHeader("components.headers." + name, header, problems));
        map(components.getOrDefault("requestBodies", Map.of())).forEach((name, body) -> checkRequestBody("components.requestBodies." + name, body, problems));
        map(document.get("paths")).forEach((path, item) -> map(item).forEach((method, operation) -> {
            String where = "paths." + path + "." + method;
            keys(where, operation, OPERATION_KEYS, problems);
            Map<String, Object> op = map(operation);
            if (op.containsKey("requestBody")) {
                checkRequestBody(where + ".requestBody", op.get("requestBody"), problems);
            }
            map(op.get("responses")).forEach((status, response) -> checkResponse(where + ".responses." + status, response, problems));
        }));
        assertEquals(List.of(), problems);
    }

    // Routes and bodies

    @Test
    void thePostPathsAreTheRoutes() {
        Set<String> routes = Arrays.stream(ApiRoute.values()).map(r -> "/" + r.path()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = map(document.get("paths")).entrySet().stream().filter(e -> map(e.getValue()).containsKey("post"))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(routes, documented);
        map(document.get("paths")).forEach((path, item) -> {
            if (!routes.contains(path)) {
                assertEquals(Set.of("get"), map(item).keySet(), path + ": only the API's routes take a POST");
            }
        });
        assertTrue(map(document.get("paths")).keySet().containsAll(Set.of("/health/liveness", "/health/readiness")));
    }

    @Test
    void everyRouteTakesExactlyTheFieldsThePublicBodyReaderAccepts() {
        ApiException unknown = assertThrows(ApiException.class, () -> new QueryBodies().readPublic(bytes("{\"-\": 1}")));
        String fields = unknown.getMessage().substring(unknown.getMessage().indexOf("the fields are ") + "the fields are ".length());
        Set<String> accepted = new TreeSet<>(List.of(fields.split(", ")));
        assertEquals(Set.of("sql", "params", "strategy"), accepted, "the reader's own words: " + unknown.getMessage());

        for (ApiRoute route : ApiRoute.values()) {
            Map<String, Object> body = map(resolve(post(route).get("requestBody")));
            assertEquals(true, body.get("required"), route + ": the body is required (BODY_MISSING)");
            Map<String, Object> schema = map(resolve(map(map(body.get("content")).get("application/json")).get("schema")));
            assertEquals(accepted, new TreeSet<>(map(schema.get("properties")).keySet()), route + ": the body's fields");
            assertEquals(false, schema.get("additionalProperties"), route + ": any other field is BODY_INVALID");
            assertEquals(List.of("sql"), schema.get("required"), route + ": sql is the one field needed (SQL_MISSING)");
        }
        Map<String, Object> properties = map(map(resolve(ref("#/components/schemas/QueryRequest"))).get("properties"));
        assertEquals("string", map(properties.get("sql")).get("type"));
        assertEquals("string", map(properties.get("strategy")).get("type"));
        assertEquals(Arrays.stream(Strategy.values()).map(Strategy::wireName).toList(), map(properties.get("strategy")).get("enum"));
        assertEquals(Strategy.parse(null).wireName(), map(properties.get("strategy")).get("default"));
        Map<String, Object> params = map(properties.get("params"));
        assertEquals("array", params.get("type"));
        int maxItems = (Integer) params.get("maxItems");
        new QueryBodies().readPublic(bytes("{\"params\": [" + "null,".repeat(maxItems - 1) + "null]}"));
        ApiException tooMany = assertThrows(ApiException.class,
                () -> new QueryBodies().readPublic(bytes("{\"params\": [" + "null,".repeat(maxItems) + "null]}")));
        assertEquals("PARAMS_INVALID", tooMany.code(), "maxItems is the reader's bound");
        assertEquals(configuredMaxSqlLength(), map(properties.get("sql")).get("maxLength"), "maxLength is gatekeeper.max-sql-length");
    }

    // Error codes

    @Test
    void theCatalogueOfCodesIsEveryCodeSomeTierAnswersWithAndNoOther() {
        Map<Integer, Set<String>> answered = ErrorCodeScan.byStatus(ErrorCodeScan.sites());
        Map<Integer, Set<String>> documented = new TreeMap<>();
        map(document.get("x-error-codes")).forEach((status, codes) -> documented.put(Integer.valueOf(status), new TreeSet<>(strings(codes))));
        assertEquals(answered, documented, "x-error-codes: the codes by status");

        Set<String> all = answered.values().stream().flatMap(Set::stream).collect(Collectors.toCollection(TreeSet::new));
        Map<String, Object> code = map(map(map(resolve(ref("#/components/schemas/Error"))).get("properties")).get("code"));
        assertEquals(all, new TreeSet<>(strings(code.get("enum"))), "Error.code's enum");
        assertTrue(strings(code.get("enum")).size() == all.size(), "each code once in the enum");
    }

    @Test
    void theInternalCodesAreNamedAsSuch() {
        Set<String> all = ErrorCodeScan.sites().stream().map(ErrorCodeScan.Site::code).collect(Collectors.toSet());
        assertTrue(all.containsAll(INTERNAL_CODES), "every internal code is one a tier answers with");
        assertEquals(new TreeSet<>(INTERNAL_CODES), new TreeSet<>(strings(document.get("x-internal-codes"))), "x-internal-codes");
    }

    @Test
    void everyErrorResponseListsTheCodesOfItsStatusAndHasItsHeaders() {
        Map<String, Object> catalogue = map(document.get("x-error-codes"));
        Set<Integer> retryLater = ErrorCodeScan.sites().stream().filter(ErrorCodeScan.Site::retryAfter).map(ErrorCodeScan.Site::status)
                .collect(Collectors.toSet());
        for (ApiRoute route : ApiRoute.values()) {
            Map<String, Object> responses = map(post(route).get("responses"));
            Set<String> expected = new TreeSet<>(catalogue.keySet());
            expected.removeAll(OTHER_REQUESTS);
            if (!classes(route).contains(StatementClass.READ.wireName())) {
                expected.remove("422"); // RESULT_TOO_LARGE: only a read has rows
            }
            Set<String> errors = responses.keySet().stream().filter(s -> !s.startsWith("2")).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, errors, route + ": its error statuses");
            for (String status : errors) {
                Map<String, Object> response = map(resolve(responses.get(status)));
                String where = route + " " + status;
                assertEquals(new TreeSet<>(strings(catalogue.get(status))), new TreeSet<>(strings(response.get("x-codes"))), where + ": x-codes");
                assertEquals("#/components/schemas/Error", map(map(map(response.get("content")).get("application/json")).get("schema")).get("$ref"),
                        where + ": an Error body");
                Set<String> headers = map(response.get("headers")).keySet();
                assertTrue(headers.contains(HopHeaders.REQUEST_ID), where + ": " + headers);
                if (retryLater.contains(Integer.valueOf(status))) {
                    assertTrue(headers.contains("Retry-After"), where + " has a code answered with Retry-After: " + headers);
                }
            }
            assertTrue(map(map(resolve(responses.get("401"))).get("headers")).containsKey("WWW-Authenticate"), route + " 401");
            assertTrue(map(map(resolve(responses.get("415"))).get("headers")).containsKey("Accept-Encoding"), route + " 415");
        }
    }

    @Test
    void everySuccessHasTheHeadersTheTiersSend() throws IllegalAccessException {
        Set<String> sent = new TreeSet<>();
        for (Field field : HopHeaders.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                sent.add((String) field.get(null));
            }
        }
        sent.removeAll(HOP_ONLY_HEADERS);
        for (ApiRoute route : ApiRoute.values()) {
            Set<String> expected = new TreeSet<>(sent);
            if (!classes(route).contains(StatementClass.READ.wireName())) {
                expected.removeAll(READ_HEADERS);
            }
            Map<String, Object> ok = map(resolve(map(post(route).get("responses")).get("200")));
            assertEquals(expected, new TreeSet<>(map(ok.get("headers")).keySet()), route + " 200");
        }
    }

    // Roles and routes

    @Test
    void eachRoleMaySendTheStatementClassesThePolicyAllowsIt() {
        Map<String, Object> roles = map(map(map(map(document.get("components")).get("securitySchemes")).get("apiKey")).get("x-roles"));
        assertEquals(Arrays.stream(Role.values()).map(Role::wireName).collect(Collectors.toSet()), roles.keySet());
        for (Role role : Role.values()) {
            assertEquals(allowed(role, ApiRoute.QUERY), new LinkedHashSet<>(strings(roles.get(role.wireName()))), "x-roles." + role.wireName());
        }
        assertEquals(List.of(StatementClass.READ.wireName()), roles.get(Role.READER.wireName()), "readers only plain SELECT");
    }

    @Test
    void eachRouteTakesTheStatementClassesThePolicyAllowsOnIt() {
        for (ApiRoute route : ApiRoute.values()) {
            assertEquals(allowed(Role.WRITER, route), new LinkedHashSet<>(classes(route)), route + ": x-statement-classes");
        }
    }

    // Answers

    @Test
    void theAnswersAreTheWireRecords() {
        assertRecord(ReadResult.class, "ReadResult");
        assertRecord(WriteResult.class, "WriteResult");
        assertRecord(PopulateResult.class, "PopulateResult");
        assertRecord(ErrorBody.class, "Error");
        Map<String, Object> error = map(resolve(ref("#/components/schemas/Error")));
        assertEquals(Arrays.stream(ErrorBody.class.getRecordComponents()).map(RecordComponent::getName).toList(), error.get("required"));
    }

    private static void assertRecord(Class<? extends Record> wire, String schema) {
        Set<String> components = Arrays.stream(wire.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.toSet());
        assertEquals(components, map(map(resolve(ref("#/components/schemas/" + schema))).get("properties")).keySet(), schema);
    }

    /** The statement classes a role may send on a route, as the policy decides, in the order of {@link StatementClass}. */
    private static Set<String> allowed(Role role, ApiRoute route) {
        assertEquals(Set.of(StatementClass.values()), SAMPLES.keySet(), "a sample of every class");
        SqlPolicy policy = new SqlPolicy("main_db", List.of("direct_table"));
        Set<String> allowed = new LinkedHashSet<>();
        SAMPLES.forEach((statementClass, sql) -> {
            var statement = SqlParser.parse(sql);
            assertEquals(statementClass, StatementClass.of(statement), sql);
            try {
                policy.check(statement, role, route);
                allowed.add(statementClass.wireName());
            } catch (SqlRejectedException e) {
                assertTrue(Set.of("ROLE_FORBIDDEN", "ROUTE_MISMATCH").contains(e.code()), sql + ": " + e.code());
            }
        });
        return allowed;
    }

    private static List<String> classes(ApiRoute route) {
        return strings(post(route).get("x-statement-classes"));
    }

    // Reading the document

    private static final Set<String> SCHEMA_KEYS = Set.of("title", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
            "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxProperties",
            "minProperties", "required", "enum", "type", "allOf", "oneOf", "anyOf", "not", "items", "properties",
            "additionalProperties", "description", "format", "default", "nullable", "discriminator", "readOnly", "writeOnly",
            "xml", "externalDocs", "example", "deprecated", "$ref");
    private static final Set<String> RESPONSE_KEYS = Set.of("description", "headers", "content", "links", "$ref");
    private static final Set<String> HEADER_KEYS = Set.of("description", "required", "deprecated", "allowEmptyValue", "style",
            "explode", "allowReserved", "schema", "example", "examples", "content", "$ref");
    private static final Set<String> MEDIA_TYPE_KEYS = Set.of("schema", "example", "examples", "encoding");
    private static final Set<String> REQUEST_BODY_KEYS = Set.of("description", "content", "required", "$ref");
    private static final Set<String> OPERATION_KEYS = Set.of("tags", "summary", "description", "externalDocs", "operationId",
            "parameters", "requestBody", "responses", "callbacks", "deprecated", "security", "servers");

    private static void checkSchema(String where, Object node, List<String> problems) {
        keys(where, node, SCHEMA_KEYS, problems);
        Map<String, Object> schema = map(node);
        if (schema.containsKey("nullable") && !schema.containsKey("type")) {
            problems.add(where + ": nullable without a type means nothing (OpenAPI 3.0.3)");
        }
        if (schema.containsKey("properties")) {
            map(schema.get("properties")).forEach((name, property) -> checkSchema(where + ".properties." + name, property, problems));
        }
        for (String key : List.of("items", "not")) {
            if (schema.get(key) instanceof Map<?, ?> inner) {
                checkSchema(where + "." + key, inner, problems);
            }
        }
        if (schema.get("additionalProperties") instanceof Map<?, ?> inner) {
            checkSchema(where + ".additionalProperties", inner, problems);
        }
        for (String key : List.of("allOf", "oneOf", "anyOf")) {
            if (schema.get(key) instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    checkSchema(where + "." + key + "[" + i + "]", list.get(i), problems);
                }
            }
        }
    }

    private static void checkResponse(String where, Object node, List<String> problems) {
        keys(where, node, RESPONSE_KEYS, problems);
        Map<String, Object> response = map(node);
        map(response.getOrDefault("headers", Map.of())).forEach((name, header) -> checkHeader(where + ".headers." + name, header, problems));
        checkContent(where, response, problems);
    }

    private static void checkHeader(String where, Object node, List<String> problems) {
        keys(where, node, HEADER_KEYS, problems);
        if (map(node).get("schema") != null) {
            checkSchema(where + ".schema", map(node).get("schema"), problems);
        }
    }

    private static void checkRequestBody(String where, Object node, List<String> problems) {
        keys(where, node, REQUEST_BODY_KEYS, problems);
        checkContent(where, map(node), problems);
    }

    private static void checkContent(String where, Map<String, Object> owner, List<String> problems) {
        map(owner.getOrDefault("content", Map.of())).forEach((type, media) -> {
            keys(where + ".content." + type, media, MEDIA_TYPE_KEYS, problems);
            if (map(media).get("schema") != null) {
                checkSchema(where + ".content." + type + ".schema", map(media).get("schema"), problems);
            }
        });
    }

    private static void keys(String where, Object node, Set<String> allowed, List<String> problems) {
        if (!(node instanceof Map<?, ?> object)) {
            problems.add(where + ": not a mapping: " + node);
            return;
        }
        for (Object key : object.keySet()) {
            if (!(key instanceof String name) || (!allowed.contains(name) && !name.startsWith("x-"))) {
                problems.add(where + ": unexpected key '" + key + "'");
            }
        }
    }

    /** A YAML key without a value is a mistake here (an unquoted ": " or ", " in a flow mapping makes one). */
    private static void noNulls(String where, Object node, List<String> problems) {
        if (node == null) {
            problems.add(where + ": no value");
        } else if (node instanceof Map<?, ?> object) {
            object.forEach((key, value) -> noNulls(where + "." + key, value, problems));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                noNulls(where + "[" + i + "]", list.get(i), problems);
            }
        }
    }

    private static Map<String, Object> post(ApiRoute route) {
        return map(map(map(document.get("paths")).get("/" + route.path())).get("post"));
    }

    private static Map<String, Object> ref(String target) {
        return Map.of("$ref", target);
    }

    /** The object a {@code $ref} names, or the object itself. */
    private static Object resolve(Object node) {
        Object target = node;
        while (target instanceof Map<?, ?> object && object.get("$ref") instanceof String reference) {
            assertTrue(reference.startsWith("#/"), reference);
            Object at = document;
            for (String part : reference.substring(2).split("/")) {
                at = map(at).get(part);
                assertNotNull(at, "no " + reference);
            }
            target = at;
        }
        return target;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertInstanceOf(Map.class, node, "a mapping: " + node);
        return (Map<String, Object>) node;
    }

    private static List<String> strings(Object node) {
        assertInstanceOf(List.class, node, "a list: " + node);
        List<String> strings = new ArrayList<>();
        for (Object item : (Collection<?>) node) {
            assertInstanceOf(String.class, item, "a string: " + item);
            strings.add((String) item);
        }
        assertEquals(new HashSet<>(strings).size(), strings.size(), "each once: " + strings);
        return strings;
    }

    private static Object configuredMaxSqlLength() throws AssertionError {
        try (InputStream in = OpenApiDocumentTest.class.getClassLoader().getResourceAsStream("application.yml")) {
            assertNotNull(in, "application.yml");
            return map(map(new Yaml().load(in)).get("gatekeeper")).get("max-sql-length");
        } catch (IOException e) {
            return fail(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

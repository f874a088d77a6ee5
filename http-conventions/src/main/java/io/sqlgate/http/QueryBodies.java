package io.sqlgate.http;

import io.sqlgate.hop.Texts;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.sqlgate.hop.wire.AuditQuery;
import io.sqlgate.hop.wire.QueryRequest;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a request body into a {@link QueryRequest}, strictly, refusing what is not one with a 400 that says why.
 * The body is one JSON object (UTF-8) and nothing after it; each field appears at most once and has its own
 * type: {@code sql} and {@code strategy} strings, {@code params} an array of at most 1000 scalars (strings,
 * numbers, booleans, null); any of them may be null or absent. Nothing is coerced: {@code {"sql": 12}} is
 * refused, not read as "12". Any other field is refused, and so are {@code statementClass}, {@code key} and
 * {@code role} in a client's body: only a signed hop from the gatekeeper may carry them.
 * <p>
 * Integers keep their size (Integer, Long or BigInteger) and decimals are read exactly as BigDecimal, so what
 * is bound is what the client wrote.
 * <p>
 * The reader never descends into a value it does not expect (an array or object where a scalar belongs is
 * refused on its first token), so nesting cannot go deeper than the params array.
 */
@Singleton
public final class QueryBodies {
    private static final int MAX_PARAMS = 1000;
    /** The largest decimal exponent a parameter may have: binding writes a decimal out in full, digit by digit. */
    private static final int MAX_DECIMAL_SCALE = 1000;
    private static final List<String> PUBLIC_FIELDS = List.of("sql", "params", "strategy");
    private static final List<String> SIGNED_FIELDS = List.of("sql", "params", "strategy", "statementClass", "key", "role");
    private static final String SHAPE = "; send {\"sql\": string, \"params\": [scalars], \"strategy\": string}";
    private static final JsonFactory JSON = JsonFactory.builder()
            // Beyond any body a tier accepts (256 KB at most): a bound that holds whatever the server's limit.
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(1 << 20).maxNumberLength(1000).maxNestingDepth(16).build())
            .build();

    /** A client's body, on the public API: {@code sql}, {@code params} and {@code strategy}. */
    public QueryRequest readPublic(byte[] body) {
        return read(body, PUBLIC_FIELDS);
    }

    /**
     * A body that came over a verified hop: the gatekeeper's re-serialised request, which may also carry the
     * {@code statementClass}, {@code key} and {@code role} it signed.
     */
    public QueryRequest readSigned(byte[] body) {
        return read(body, SIGNED_FIELDS);
    }

    private static final List<String> AUDIT_FIELDS = List.of("requestId", "keyName", "table", "from", "to", "before", "limit",
            "caller", "role");

    /**
     * A search of the audit ledger that came over a verified hop, as the gatekeeper signed it ({@link AuditQuery}):
     * read as strictly as a query, every field a string but {@code limit}, an integer.
     */
    public AuditQuery readSignedAudit(byte[] body) {
        if (body == null || body.length == 0 || !utf8(body)) {
            throw invalid("the body must be a JSON object in UTF-8");
        }
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("the body must be a JSON object");
            }
            java.util.Map<String, String> texts = new java.util.HashMap<>();
            Integer limit = null;
            Set<String> seen = new HashSet<>(16);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (!AUDIT_FIELDS.contains(name) || !seen.add(name)) {
                    throw invalid("unknown or repeated field \"" + Texts.clip(name, 40) + "\"", parser);
                }
                JsonToken value = parser.nextToken();
                if (name.equals("limit")) {
                    if (value != JsonToken.VALUE_NULL && (value != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT)) {
                        throw invalid("field \"limit\" must be an integer", parser);
                    }
                    limit = value == JsonToken.VALUE_NULL ? null : parser.getIntValue();
                } else {
                    texts.put(name, string(parser, name, value));
                }
            }
            requireNothingAfter(parser);
            return new AuditQuery(texts.get("requestId"), texts.get("keyName"), texts.get("table"), texts.get("from"), texts.get("to"),
                    texts.get("before"), limit, texts.get("caller"), texts.get("role"));
        } catch (StreamConstraintsException e) {
            throw invalid("a string or number in the body is too long");
        } catch (IOException e) {
            throw invalid("the body is not valid JSON");
        }
    }

    private static QueryRequest read(byte[] body, List<String> fields) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("BODY_MISSING", "The request has no body; send {\"sql\": \"...\"}");
        }
        if (!utf8(body)) {
            throw invalid("the body must be JSON in UTF-8");
        }
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw invalid("the body has no JSON value" + SHAPE);
            }
            if (first != JsonToken.START_OBJECT) {
                throw invalid("the body must be a JSON object, got " + describe(first) + SHAPE);
            }
            String sql = null;
            String strategy = null;
            String statementClass = null;
            String key = null;
            String role = null;
            List<Object> params = null;
            // Duplicates are found here rather than by the parser (STRICT_DUPLICATE_DETECTION): only the top-level
            // object has field names, and so the refusal is in our words.
            Set<String> seen = new HashSet<>(8);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (!fields.contains(name)) {
                    throw invalid("unknown field \"" + Texts.clip(name, 40) + "\"; the fields are " + String.join(", ", fields), parser);
                }
                if (!seen.add(name)) {
                    throw invalid("duplicate field \"" + name + "\"", parser);
                }
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "sql" -> sql = string(parser, name, value);
                    case "strategy" -> strategy = string(parser, name, value);
                    case "statementClass" -> statementClass = string(parser, name, value);
                    case "key" -> key = string(parser, name, value);
                    case "role" -> role = string(parser, name, value);
                    default -> params = params(parser, value);
                }
            }
            // The parser stops at the end of the object or fails on what is not one.
            requireNothingAfter(parser);
            return new QueryRequest(sql, params, strategy, statementClass, key, role);
        } catch (StreamConstraintsException e) {
            throw invalid("a string or number in the body is too long");
        } catch (JsonEOFException e) {
            throw invalid("the body ends before its JSON object does");
        } catch (JsonProcessingException e) {
            // The parser's own words name its internals; only which kind of fault it is goes into ours.
            String original = e.getOriginalMessage();
            boolean badBytes = original != null && original.startsWith("Invalid UTF-8");
            throw invalid(badBytes ? "the body is not valid UTF-8" : "the body is not valid JSON", e.getLocation());
        } catch (IOException e) {
            throw invalid("the body is not valid JSON");
        }
    }

    private static void requireNothingAfter(JsonParser parser) {
        JsonToken next;
        try {
            next = parser.nextToken();
        } catch (IOException e) {
            next = JsonToken.NOT_AVAILABLE;
        }
        if (next != null) {
            throw invalid("content after the JSON object", parser);
        }
    }

    private static String string(JsonParser parser, String name, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw invalid("field \"" + name + "\" must be a string, got " + describe(value), parser);
        }
        return parser.getText();
    }

    private static List<Object> params(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_ARRAY) {
            throw invalid("field \"params\" must be an array, got " + describe(value), parser);
        }
        List<Object> params = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            int position = params.size() + 1;
            if (position > MAX_PARAMS) {
                throw ApiException.badRequest("PARAMS_INVALID", "At most " + MAX_PARAMS + " parameters are accepted; got more");
            }
            params.add(switch (token) {
                case VALUE_STRING -> parser.getText();
                // Integer, Long or BigInteger, whichever holds it.
                case VALUE_NUMBER_INT -> parser.getNumberValue();
                case VALUE_NUMBER_FLOAT -> decimal(parser, position);
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                default -> throw ApiException.badRequest("PARAMS_INVALID", "Parameter " + position
                        + " is an array or object; only strings, numbers, booleans and null can be bound");
            });
        }
        return Collections.unmodifiableList(params);
    }

    private static BigDecimal decimal(JsonParser parser, int position) throws IOException {
        BigDecimal value = parser.getDecimalValue();
        if (Math.abs(value.scale()) > MAX_DECIMAL_SCALE) {
            throw ApiException.badRequest("PARAMS_INVALID", "Parameter " + position + " is a number out of range: its exponent"
                    + " is beyond " + MAX_DECIMAL_SCALE);
        }
        return value;
    }

    /**
     * JSON between systems is UTF-8 (RFC 8259). The parser would also guess UTF-16 and UTF-32 from a byte order
     * mark or zero bytes at the start; a JSON text in UTF-8 starts with neither.
     */
    private static boolean utf8(byte[] body) {
        int first = body[0] & 0xFF;
        return first != 0 && first != 0xFE && first != 0xFF && (body.length < 2 || body[1] != 0);
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "something else";
        };
    }

    private static ApiException invalid(String problem) {
        return invalid(problem, (JsonLocation) null);
    }

    private static ApiException invalid(String problem, JsonParser parser) {
        return invalid(problem, parser.currentTokenLocation());
    }

    /** "Invalid body (line 1, column 9): field "sql" must be a string, got an array". */
    private static ApiException invalid(String problem, JsonLocation location) {
        String where = location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        return ApiException.badRequest("BODY_INVALID", "Invalid body" + where + ": " + problem);
    }
}

package org.panacea.records.internal.fhir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.records.ValidationIssue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reading and writing FHIR JSON. Strict where FHIR is: a repeated property is an error, not "last one wins", and
 * decimals keep their exact written value ({@code 1.50} stays {@code 1.50}). Nesting depth and string length are
 * bounded so no input can exhaust the stack or the heap.
 */
public final class FhirJson {

    /** FHIR resources are shallow; anything deeper than this is an attack or a bug. */
    public static final int MAX_NESTING_DEPTH = 64;

    /** Largest single string (an attachment's base64 data included). */
    public static final int MAX_STRING_LENGTH = 32 * 1024 * 1024;

    /** Longest number, in characters (Jackson's default, stated so the message can name it). */
    public static final int MAX_NUMBER_LENGTH = 1000;

    /** Longest property name (Jackson's default, stated so the message can name it). */
    public static final int MAX_NAME_LENGTH = 50_000;

    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxNameLength(MAX_NAME_LENGTH)
                    .build())
            .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private FhirJson() {
    }

    /** Parses one JSON object; anything else is refused with the line and column of the problem. */
    public static ObjectNode parseObject(String json) {
        if (json == null || json.isBlank()) {
            throw malformed("the body is empty; send a FHIR resource as JSON");
        }
        try {
            return requireObject(MAPPER.readTree(json));
        } catch (StreamConstraintsException e) {
            throw overLimit(e);
        } catch (JsonProcessingException e) {
            throw malformed(describe(e));
        }
    }

    /** Parses one JSON object straight from a stream (an upload), without holding the text as well. */
    public static ObjectNode parseObject(InputStream json) throws IOException {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw malformed("the body is empty; send a FHIR resource as JSON");
            }
            return requireObject(node);
        } catch (StreamConstraintsException e) {
            throw overLimit(e);
        } catch (JsonProcessingException e) {
            throw malformed(describe(e));
        }
    }

    private static ObjectNode requireObject(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            throw malformed("expected a JSON object (a FHIR resource), found " + node.getNodeType().name()
                    .toLowerCase(java.util.Locale.ROOT));
        }
        return object;
    }

    public static byte[] toBytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    public static String toText(JsonNode node) {
        return new String(toBytes(node), StandardCharsets.UTF_8);
    }

    public static ObjectNode fromBytes(byte[] json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("a stored resource is not JSON", e);
        }
    }

    /** The kind of exception malformed input gets: it names the place, never echoes the content. */
    public static InvalidResourceException malformed(String message) {
        return new MalformedJsonException(message);
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        // Jackson quotes offending input in some messages ("Unrecognized token 'secret'", "Unexpected character
        // ('x' (code 120))"): keep only the words before the first quote or parenthesis, which name the problem, so
        // no content of what was sent (or of a file being imported) is ever repeated back. A duplicated property
        // name is the one exception: it is a FHIR element name, and the client needs it to find the mistake.
        if (!message.startsWith("Duplicate field '")) {
            message = cutAt(message, "'");
            message = cutAt(message, "(");
        }
        message = cutAt(message, ": was expecting");
        message = cutAt(message, "\n");
        message = message.strip();
        if (message.endsWith(":")) {
            message = message.substring(0, message.length() - 1);
        }
        return "malformed JSON" + where(e) + ": " + (message.isEmpty() ? "not JSON" : message);
    }

    private static String cutAt(String message, String marker) {
        int cut = message.indexOf(marker);
        return cut >= 0 ? message.substring(0, cut) : message;
    }

    private static String where(JsonProcessingException e) {
        JsonLocation where = e.getLocation();
        return where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    }

    /** One of the parser's limits was reached: the message names it in the client's terms. */
    private static LimitExceededException overLimit(StreamConstraintsException e) {
        String message = e.getOriginalMessage();
        String limit;
        if (message.contains("nesting depth")) {
            limit = "objects and arrays are nested deeper than " + MAX_NESTING_DEPTH + " levels, the limit for FHIR "
                    + "JSON";
        } else if (message.startsWith("String value length")) {
            limit = "a string value is longer than " + MAX_STRING_LENGTH / (1024 * 1024) + " MiB, the limit for one "
                    + "value (an attachment's data included); send large data separately";
        } else if (message.startsWith("Number value length")) {
            limit = "a number is longer than " + MAX_NUMBER_LENGTH + " characters, the limit for one number";
        } else if (message.startsWith("Name length")) {
            limit = "a property name is longer than " + MAX_NAME_LENGTH + " characters, the limit for one name";
        } else {
            // A limit named in Jackson's own words, without the pointer into its configuration.
            limit = cutAt(message, ", from `") + (message.contains(", from `") ? ")" : "");
        }
        return new LimitExceededException("$", "the JSON is over a limit" + where(e) + ": " + limit);
    }

    /**
     * Input over one of the limits that keep parsing and storing bounded (HTTP 413): nesting depth, the length of
     * one value, the entries of a Bundle. The message names the limit.
     */
    public static final class LimitExceededException extends InvalidResourceException {
        private static final long serialVersionUID = 1L;

        public LimitExceededException(String path, String message) {
            super(List.of(new ValidationIssue(path, message)));
        }

        /** What the client is told: the limit, and where it applies when that is not the whole body. */
        public String describe() {
            ValidationIssue issue = issues().get(0);
            return issue.path().equals("$") ? issue.message() : issue.path() + " " + issue.message();
        }
    }

    /** Input that is not JSON at all (HTTP 400), as opposed to a JSON resource that breaks the rules (422). */
    public static final class MalformedJsonException extends InvalidResourceException {
        private static final long serialVersionUID = 1L;

        MalformedJsonException(String message) {
            super(List.of(new ValidationIssue("$", message)));
        }
    }
}

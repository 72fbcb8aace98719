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
    private static final int MAX_NESTING_DEPTH = 64;

    /** Largest single string (an attachment's base64 data included). */
    private static final int MAX_STRING_LENGTH = 32 * 1024 * 1024;

    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(MAX_STRING_LENGTH)
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
        JsonLocation where = e.getLocation();
        String message = e.getOriginalMessage();
        // Jackson quotes offending input in some messages: keep only the first sentence, which names the problem.
        int cut = message.indexOf(": was expecting");
        if (cut > 0) {
            message = message.substring(0, cut);
        }
        cut = message.indexOf('\n');
        if (cut > 0) {
            message = message.substring(0, cut);
        }
        return "malformed JSON" + (where == null ? "" : " at line " + where.getLineNr() + ", column "
                + where.getColumnNr()) + ": " + message;
    }

    /** Input that is not JSON at all (HTTP 400), as opposed to a JSON resource that breaks the rules (422). */
    public static final class MalformedJsonException extends InvalidResourceException {
        private static final long serialVersionUID = 1L;

        MalformedJsonException(String message) {
            super(List.of(new ValidationIssue("$", message)));
        }
    }
}

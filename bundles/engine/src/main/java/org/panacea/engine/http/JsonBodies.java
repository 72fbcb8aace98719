package org.panacea.engine.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.panacea.rest.http.HttpProblem;
import org.panacea.rest.http.Json;
import org.panacea.rest.http.Responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads the small JSON bodies of run requests, and writes JSON answers. A body is one JSON object of at most
 * {@link #MAX_BODY_BYTES}; its fields are read with their JSON types, and any problem is a {@link BadRequest}
 * naming the field.
 */
final class JsonBodies {

    static final ObjectMapper MAPPER = Json.mapper();
    /** Run requests hold an instance UID, a patient id and a few parameters: 1 MiB is far more than enough. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private JsonBodies() {
    }

    /**
     * The request body as a JSON object whose field names are all among {@code fields}.
     *
     * @throws BadRequest when it is not JSON, not an object, too large, of another media type, or has unknown fields
     */
    static ObjectNode object(HttpServletRequest request, Set<String> fields) throws IOException {
        String contentType = request.getContentType();
        String mediaType = contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !mediaType.equals("application/fhir+json")) {
            throw new BadRequest(415, "send the request as JSON (Content-Type: application/json), not '"
                    + (contentType == null ? "(none)" : contentType) + "'");
        }
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            throw new BadRequest(413, tooLarge());
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new BadRequest(413, tooLarge());
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest(400, "the body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")"));
        }
        if (json == null || !json.isObject()) {
            throw new BadRequest(400, "the body must be one JSON object with the fields " + String.join(", ", fields));
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new BadRequest(400, "unknown field '" + name + "'; the body takes " + String.join(", ", fields));
            }
        }
        return (ObjectNode) json;
    }

    /** A required text field. */
    static String text(ObjectNode body, String field, String meaning) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new BadRequest(400, field + " is required: " + meaning);
        }
        return value.asText().strip();
    }

    /** An optional text field, {@code null} when absent. */
    static String optionalText(ObjectNode body, String field, String meaning) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new BadRequest(400, field + " must be text: " + meaning);
        }
        return value.asText();
    }

    /** An optional whole-number field, {@code null} when absent. */
    static Integer optionalInteger(ObjectNode body, String field, String meaning) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || value.asDouble() != Math.rint(value.asDouble()) || !value.canConvertToInt()) {
            throw new BadRequest(400, field + " must be a whole number: " + meaning + "; got " + value);
        }
        return value.asInt();
    }

    /** An optional object field as raw values by name (JSON numbers, strings, booleans keep their types). */
    static Map<String, Object> optionalValues(ObjectNode body, String field, String meaning) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw new BadRequest(400, field + " must be a JSON object of " + meaning);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        value.fields().forEachRemaining(entry -> values.put(entry.getKey(), raw(entry.getValue())));
        return values;
    }

    /** A JSON value as the Java value the parameter validator reads; objects and lists are kept as such. */
    private static Object raw(JsonNode node) {
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isObject()) {
            return Map.of();
        }
        if (node.isArray()) {
            return new ArrayList<>(List.of());
        }
        return null;
    }

    /** Writes {@code body} as JSON with {@code status}. */
    static void write(HttpServletResponse response, int status, Object body) throws IOException {
        Responses.json(response, status, "application/json", body);
    }

    private static String tooLarge() {
        return "the body is larger than " + MAX_BODY_BYTES / 1024 + " KiB; a run request needs a few hundred bytes";
    }

    /** A request the servlet refuses before running anything, with its status (400, 413, 415). */
    static final class BadRequest extends HttpProblem {
        private static final long serialVersionUID = 1L;

        BadRequest(int status, String message) {
            super(status, status == 400 ? "invalid" : "not-supported", message);
        }
    }
}

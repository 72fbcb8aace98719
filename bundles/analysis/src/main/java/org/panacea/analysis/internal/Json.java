package org.panacea.analysis.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON conventions of analysis results: numbers at full precision, {@code null} for a value that does not exist. */
public final class Json {

    /** The platform's shared mapper (rest's {@link org.panacea.rest.http.Json}). */
    public static final ObjectMapper MAPPER = org.panacea.rest.http.Json.mapper();

    private Json() {
    }

    /** {@code value}, or {@code null} when it is not a finite number (a median the curve never reaches). */
    static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    /** A count, or {@code "<5"} when the disclosure hides it. */
    static void count(ObjectNode node, String field, long n, Disclosure disclosure) {
        if (disclosure.hides(n)) {
            node.put(field, disclosure.hiddenCount());
        } else {
            node.put(field, n);
        }
    }
}

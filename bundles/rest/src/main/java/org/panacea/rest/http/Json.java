package org.panacea.rest.http;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The platform's one Jackson configuration for JSON over HTTP and for the JSON documents bundles build (Jackson's
 * defaults: compact output, fields in the order given). An {@link ObjectMapper} is thread-safe once configured and
 * costly to make, so every bundle shares this one. Never reconfigure it: a bundle that needs other settings (the
 * FHIR parser's limits, say) makes its own, or a {@link ObjectMapper#copy() copy}.
 */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** The shared mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}

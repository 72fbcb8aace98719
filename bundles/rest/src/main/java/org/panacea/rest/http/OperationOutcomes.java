package org.panacea.rest.http;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes errors as FHIR R4 {@code OperationOutcome} resources, with the status code that goes with them. The
 * diagnostics say what is wrong in words the client can act on; never a stack trace.
 */
public final class OperationOutcomes {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** FHIR's JSON media type. */
    public static final String FHIR_JSON = "application/fhir+json";

    private OperationOutcomes() {
    }

    /**
     * Sends {@code status} with a one-issue OperationOutcome.
     *
     * @param code        the FHIR issue type ({@code security}, {@code forbidden}, {@code invalid}, {@code not-found},
     *                    {@code conflict}, {@code exception})
     * @param diagnostics what went wrong
     */
    public static void send(HttpServletResponse response, int status, String code, String diagnostics)
            throws IOException {
        response.setStatus(status);
        response.setContentType(FHIR_JSON);
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getOutputStream(), outcome(status >= 500 ? "fatal" : "error", code, diagnostics));
    }

    /** The OperationOutcome as a JSON-ready map. */
    public static Map<String, Object> outcome(String severity, String code, String diagnostics) {
        return Map.of("resourceType", "OperationOutcome",
                "issue", List.of(Map.of("severity", severity, "code", code, "diagnostics", diagnostics)));
    }
}

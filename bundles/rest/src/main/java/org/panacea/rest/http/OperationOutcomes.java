package org.panacea.rest.http;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletResponse;

/**
 * FHIR R4 {@code OperationOutcome} resources. Errors are answered by {@link Problems}; {@link #outcome} builds an
 * outcome that is part of a successful answer (an informational one in a batch response's entry, say).
 */
public final class OperationOutcomes {

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
     * @deprecated since 1.2: throw an {@link HttpProblem}, or answer with {@link Problems#send}, so that every error
     *             is mapped in one place
     */
    @Deprecated
    public static void send(HttpServletResponse response, int status, String code, String diagnostics)
            throws IOException {
        Problems.write(response, new HttpProblem(status, code, diagnostics));
    }

    /** The OperationOutcome as a JSON-ready map. */
    public static Map<String, Object> outcome(String severity, String code, String diagnostics) {
        Map<String, Object> issue = new LinkedHashMap<>();
        issue.put("severity", severity);
        issue.put("code", code);
        issue.put("diagnostics", diagnostics);
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("resourceType", "OperationOutcome");
        outcome.put("issue", List.of(issue));
        return outcome;
    }
}

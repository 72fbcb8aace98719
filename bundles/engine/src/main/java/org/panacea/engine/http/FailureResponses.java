package org.panacea.engine.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletResponse;

import org.panacea.api.audit.AuditException;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.engine.internal.EngineUnavailableException;
import org.panacea.engine.internal.imaging.InputNotFoundException;
import org.panacea.engine.internal.parameters.InvalidParametersException;
import org.panacea.engine.internal.prediction.MissingInputsException;
import org.panacea.engine.internal.registry.PluginNotFoundException;
import org.panacea.engine.internal.run.EngineSaturatedException;
import org.panacea.engine.internal.run.InsufficientMemoryException;
import org.panacea.engine.internal.run.PluginCrashedException;
import org.panacea.engine.internal.run.PluginRefusedException;
import org.panacea.engine.internal.run.PluginTimeoutException;
import org.panacea.rest.http.OperationOutcomes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the engine's failures into HTTP answers: a FHIR OperationOutcome with the status that says what the client
 * can do about it, and {@code Retry-After} where waiting helps. Messages only, never a stack trace.
 * <table>
 * <caption>status by failure</caption>
 * <tr><td>400</td><td>malformed request, parameters or inputs that do not fit the schema (one issue each)</td></tr>
 * <tr><td>403</td><td>the access policy refused (already audited)</td></tr>
 * <tr><td>404</td><td>unknown plugin (after the grace period), instance, frame or patient</td></tr>
 * <tr><td>422</td><td>the plugin refused the input, or the model lacks inputs</td></tr>
 * <tr><td>500</td><td>the plugin crashed</td></tr>
 * <tr><td>503</td><td>saturated, not enough memory, a needed service down, audit trail unavailable</td></tr>
 * <tr><td>504</td><td>time limit passed</td></tr>
 * </table>
 */
final class FailureResponses {

    private static final Logger LOG = LoggerFactory.getLogger(FailureResponses.class);
    private static final long UNAVAILABLE_RETRY_SECONDS = 5;

    private FailureResponses() {
    }

    static void send(HttpServletResponse response, RuntimeException failure, String what) throws IOException {
        if (failure instanceof JsonBodies.BadRequest bad) {
            OperationOutcomes.send(response, bad.status, bad.status == 400 ? "invalid" : "not-supported",
                    bad.getMessage());
        } else if (failure instanceof InvalidParametersException invalid) {
            sendIssues(response, 400, "invalid", invalid.problems());
        } else if (failure instanceof IllegalArgumentException) {
            OperationOutcomes.send(response, 400, "invalid", failure.getMessage());
        } else if (failure instanceof AccessDeniedException) {
            OperationOutcomes.send(response, 403, "forbidden", failure.getMessage());
        } else if (failure instanceof PluginNotFoundException || failure instanceof InputNotFoundException
                || failure instanceof ResourceNotFoundException) {
            OperationOutcomes.send(response, 404, "not-found", failure.getMessage());
        } else if (failure instanceof MissingInputsException missing) {
            sendIssues(response, 422, "processing", missing.problems());
        } else if (failure instanceof PluginRefusedException) {
            OperationOutcomes.send(response, 422, "processing", failure.getMessage());
        } else if (failure instanceof EngineSaturatedException saturated) {
            response.setHeader("Retry-After", Long.toString(saturated.retryAfterSeconds()));
            OperationOutcomes.send(response, 503, "transient", failure.getMessage());
        } else if (failure instanceof InsufficientMemoryException memory) {
            response.setHeader("Retry-After", Long.toString(memory.retryAfterSeconds()));
            OperationOutcomes.send(response, 503, "transient", failure.getMessage());
        } else if (failure instanceof EngineUnavailableException) {
            response.setHeader("Retry-After", Long.toString(UNAVAILABLE_RETRY_SECONDS));
            OperationOutcomes.send(response, 503, "transient", failure.getMessage());
        } else if (failure instanceof AuditException) {
            LOG.error("Audit trail unavailable; {} withheld", what, failure);
            response.setHeader("Retry-After", Long.toString(UNAVAILABLE_RETRY_SECONDS));
            OperationOutcomes.send(response, 503, "transient", "the audit trail cannot record this run right now, "
                    + "so its result is withheld; try again shortly");
        } else if (failure instanceof PluginTimeoutException) {
            OperationOutcomes.send(response, 504, "timeout", failure.getMessage());
        } else if (failure instanceof PluginCrashedException) {
            OperationOutcomes.send(response, 500, "exception", failure.getMessage());
        } else {
            LOG.error("Unexpected failure of {}", what, failure);
            OperationOutcomes.send(response, 500, "exception", what + " failed unexpectedly; the server log has the "
                    + "details");
        }
    }

    /** One issue per problem, so a client can show each against its field. */
    private static void sendIssues(HttpServletResponse response, int status, String code, List<String> problems)
            throws IOException {
        List<Map<String, Object>> issues = new ArrayList<>();
        for (String problem : problems) {
            Map<String, Object> issue = new LinkedHashMap<>();
            issue.put("severity", "error");
            issue.put("code", code);
            issue.put("diagnostics", problem);
            issues.add(issue);
        }
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("resourceType", "OperationOutcome");
        outcome.put("issue", issues);
        response.setStatus(status);
        response.setContentType(OperationOutcomes.FHIR_JSON);
        response.setCharacterEncoding("UTF-8");
        JsonBodies.MAPPER.writeValue(response.getOutputStream(), outcome);
    }
}

package org.panacea.engine.http;

import java.io.IOException;

import javax.servlet.http.HttpServletResponse;

import org.panacea.api.audit.AuditException;
import org.panacea.api.imaging.InvalidImageException;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.rest.http.HttpProblem;
import org.panacea.rest.http.Problems;

/**
 * Turns the engine's failures into HTTP answers through the platform's one mapping ({@link Problems}): a FHIR
 * OperationOutcome with the status that says what the client can do about it, and {@code Retry-After} where waiting
 * helps. The engine's own exceptions carry their status ({@link HttpProblem}); messages only, never a stack trace.
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

    private static final long UNAVAILABLE_RETRY_SECONDS = 5;

    /**
     * The standard mapping, except: the audit trail's outage withholds a result that exists (and says when to try
     * again); an image or a resource the engine itself loaded or built that turns out invalid is the server's fault.
     */
    private static final Problems PROBLEMS = Problems.standard()
            .on(AuditException.class, e -> new HttpProblem(503, "transient", "the audit trail cannot record this run "
                    + "right now, so its result is withheld; try again shortly", e)
                    .withRetryAfter(UNAVAILABLE_RETRY_SECONDS).withServerLog())
            .onUnexpected(InvalidImageException.class)
            .onUnexpected(InvalidResourceException.class)
            .unexpected(what -> what + " failed unexpectedly; the server log has the details");

    private FailureResponses() {
    }

    static void send(HttpServletResponse response, RuntimeException failure, String what) throws IOException {
        PROBLEMS.send(response, failure, what);
    }
}

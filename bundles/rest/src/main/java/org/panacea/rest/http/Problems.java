package org.panacea.rest.http;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import javax.servlet.http.HttpServletResponse;

import org.panacea.api.audit.AuditException;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.InvalidImageException;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.records.DatabaseUnavailableException;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.records.ValidationIssue;
import org.panacea.api.records.VersionConflictException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.FileRefusedException;
import org.panacea.api.security.InvalidTokenException;
import org.panacea.api.security.LoginThrottledException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers. Every endpoint catches what it does not handle and calls
 * {@link #send}: the failure is mapped to an {@link HttpProblem} and written as a FHIR OperationOutcome with its
 * status and headers, never with a stack trace.
 * <table>
 * <caption>the standard mapping, first match wins</caption>
 * <tr><td>{@link HttpProblem} and its subclasses</td><td>as they say</td></tr>
 * <tr><td>{@link AccessDeniedException}</td><td>403 {@code forbidden} (the policy has already audited it)</td></tr>
 * <tr><td>{@link FileRefusedException}</td><td>403 {@code forbidden}</td></tr>
 * <tr><td>{@link LoginThrottledException}</td><td>429 {@code throttled} with {@code Retry-After}</td></tr>
 * <tr><td>{@link InvalidTokenException}</td><td>401 {@code login} with {@code WWW-Authenticate: Bearer
 * error="invalid_token"} and the reason (RFC 6750)</td></tr>
 * <tr><td>{@link ResourceNotFoundException}</td><td>404 {@code not-found}</td></tr>
 * <tr><td>{@link VersionConflictException}</td><td>409 {@code conflict}</td></tr>
 * <tr><td>{@link InvalidResourceException}</td><td>422 {@code invalid}, one issue per problem with its
 * {@code expression}</td></tr>
 * <tr><td>{@link InvalidImageException}</td><td>400 {@code invalid}</td></tr>
 * <tr><td>{@link AlgorithmException}, {@link PredictionException}</td><td>422 {@code processing} (the plugin refused
 * the input)</td></tr>
 * <tr><td>{@link AuditException}</td><td>503 {@code transient}, logged: nothing was done</td></tr>
 * <tr><td>{@link DatabaseUnavailableException}</td><td>503 {@code transient} with {@code Retry-After}, logged: the
 * database cannot be reached (failing over) or was too busy to lend a connection in time</td></tr>
 * <tr><td>{@link DecryptionException}</td><td>500 {@code exception}, logged</td></tr>
 * <tr><td>{@link IllegalArgumentException}</td><td>400 {@code invalid}</td></tr>
 * <tr><td>anything else</td><td>500 {@code exception}, logged; the message says nothing of the failure</td></tr>
 * </table>
 * An endpoint that must answer a failure its own way adds a mapping with {@link #on}, consulted before the
 * standard ones; a bundle's own exceptions extend {@link HttpProblem} instead where they can. Instances are
 * immutable: build one per endpoint, once.
 */
public final class Problems {

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    /** What the client is told of a failure nobody expected; the server log has the rest. */
    static final String UNEXPECTED = "the request failed unexpectedly; nothing was changed. The server log has the "
            + "details";

    private static final List<Mapping<?>> STANDARD_MAPPINGS = List.of(
            mapping(HttpProblem.class, problem -> problem),
            mapping(AccessDeniedException.class, e -> new HttpProblem(403, "forbidden", e.getMessage(), e)),
            mapping(FileRefusedException.class, e -> new HttpProblem(403, "forbidden", e.getMessage(), e)),
            mapping(LoginThrottledException.class, Problems::throttled),
            mapping(InvalidTokenException.class, Problems::invalidToken),
            mapping(ResourceNotFoundException.class, e -> new HttpProblem(404, "not-found", e.getMessage(), e)),
            mapping(VersionConflictException.class, e -> new HttpProblem(409, "conflict", e.getMessage(), e)),
            mapping(InvalidResourceException.class, Problems::invalidResource),
            mapping(InvalidImageException.class, e -> new HttpProblem(400, "invalid", e.getMessage(), e)),
            mapping(AlgorithmException.class, e -> new HttpProblem(422, "processing", e.getMessage(), e)),
            mapping(PredictionException.class, e -> new HttpProblem(422, "processing", e.getMessage(), e)),
            mapping(AuditException.class, e -> new HttpProblem(503, "transient", "the audit trail cannot record this "
                    + "request right now, so it was not carried out; try again shortly", e).withServerLog()),
            mapping(DatabaseUnavailableException.class, e -> new HttpProblem(503, "transient", "the database cannot "
                    + "be reached right now (it may be failing over, or too busy); try again shortly", e)
                    .withRetryAfter(2).withServerLog()),
            mapping(DecryptionException.class, e -> new HttpProblem(500, "exception", "a stored record could not be "
                    + "decrypted; the administrators have been told (see the server log)", e).withServerLog()),
            mapping(IllegalArgumentException.class, e -> new HttpProblem(400, "invalid",
                    e.getMessage() == null ? "the request is not valid" : e.getMessage(), e)));

    private static final Problems STANDARD = new Problems(List.of(), List.of(), what -> UNEXPECTED);

    private final List<Mapping<?>> endpoint;
    private final List<Class<? extends Throwable>> unexpectedTypes;
    private final Function<String, String> unexpectedMessage;

    private Problems(List<Mapping<?>> endpoint, List<Class<? extends Throwable>> unexpectedTypes,
            Function<String, String> unexpectedMessage) {
        this.endpoint = endpoint;
        this.unexpectedTypes = unexpectedTypes;
        this.unexpectedMessage = unexpectedMessage;
    }

    /** The standard mapping (see the table above). */
    public static Problems standard() {
        return STANDARD;
    }

    /**
     * This mapping with {@code answer} for failures of {@code type}, consulted before the standard mappings and after
     * the ones added before it.
     */
    public <T extends Throwable> Problems on(Class<T> type, Function<? super T, ? extends HttpProblem> answer) {
        List<Mapping<?>> mappings = new ArrayList<>(endpoint);
        mappings.add(mapping(type, answer));
        return new Problems(List.copyOf(mappings), unexpectedTypes, unexpectedMessage);
    }

    /**
     * This mapping, answering failures of {@code type} as unexpected (500, logged) although the standard mapping
     * knows them: where such a failure can only mean that something is broken on the server.
     */
    public Problems onUnexpected(Class<? extends Throwable> type) {
        List<Class<? extends Throwable>> types = new ArrayList<>(unexpectedTypes);
        types.add(Objects.requireNonNull(type, "type"));
        return new Problems(endpoint, List.copyOf(types), unexpectedMessage);
    }

    /**
     * This mapping, telling the client {@code message.apply(what)} of an unexpected failure (instead of "the request
     * failed unexpectedly; nothing was changed...").
     */
    public Problems unexpected(Function<String, String> message) {
        return new Problems(endpoint, unexpectedTypes, Objects.requireNonNull(message, "message"));
    }

    /**
     * The answer to {@code failure}.
     *
     * @param what the request, for the unexpected failure's message ({@code POST /api/models/x/$predict})
     */
    public HttpProblem problem(Throwable failure, String what) {
        for (Mapping<?> mapping : endpoint) {
            if (mapping.type().isInstance(failure)) {
                return mapping.apply(failure);
            }
        }
        for (Class<? extends Throwable> type : unexpectedTypes) {
            if (type.isInstance(failure)) {
                return unexpected(failure, what);
            }
        }
        for (Mapping<?> mapping : STANDARD_MAPPINGS) {
            if (mapping.type().isInstance(failure)) {
                return mapping.apply(failure);
            }
        }
        return unexpected(failure, what);
    }

    /**
     * Answers {@code failure}: its problem's status, headers and OperationOutcome (or body). A problem marked for the
     * server log is logged at ERROR with {@code what} and the failure's stack trace.
     *
     * @param what the request, for the log ({@code GET /fhir/Patient/p1})
     */
    public void send(HttpServletResponse response, Throwable failure, String what) throws IOException {
        HttpProblem problem = problem(failure, what);
        if (problem.serverLog()) {
            LOG.error("{} answered {} {}: {}", what, problem.status(), problem.code(), problem.getMessage(), failure);
        }
        write(response, problem);
    }

    /** Writes {@code problem}: headers, status, then the OperationOutcome (or the problem's own body) as JSON. */
    static void write(HttpServletResponse response, HttpProblem problem) throws IOException {
        problem.headers().forEach(response::setHeader);
        response.setStatus(problem.status());
        response.setContentType(problem.body().map(HttpProblem.Body::contentType).orElse(OperationOutcomes.FHIR_JSON));
        response.setCharacterEncoding("UTF-8");
        Object content = problem.body().isPresent() ? problem.body().get().content() : problem.outcome();
        Json.mapper().writeValue(response.getOutputStream(), content);
    }

    private HttpProblem unexpected(Throwable failure, String what) {
        return new HttpProblem(500, "exception", unexpectedMessage.apply(what), failure).withServerLog();
    }

    /** Retry-After in whole seconds, rounded up; the password was not checked. */
    private static HttpProblem throttled(LoginThrottledException throttled) {
        Duration wait = throttled.retryAfter();
        long seconds = Math.max(1, wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0));
        return new HttpProblem(429, "throttled", "too many failed logins: try again in " + seconds + " s", throttled)
                .withRetryAfter(seconds);
    }

    /**
     * RFC 6750 3: the challenge says the token is invalid and why. The reason is the security bundle's, which never
     * repeats the token; characters a quoted string cannot hold are replaced so that the header stays well-formed.
     */
    private static HttpProblem invalidToken(InvalidTokenException refused) {
        String description = String.valueOf(refused.getMessage()).replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "'");
        return new HttpProblem(401, "login", refused.getMessage(), refused).withHeader("WWW-Authenticate",
                "Bearer realm=\"Panacea\", error=\"invalid_token\", error_description=\"" + description + "\"");
    }

    /** One issue per problem, each located by its FHIRPath expression. */
    private static HttpProblem invalidResource(InvalidResourceException invalid) {
        List<HttpProblem.Issue> issues = new ArrayList<>();
        for (ValidationIssue issue : invalid.issues()) {
            issues.add(new HttpProblem.Issue("invalid", issue.path() + ": " + issue.message(), List.of(issue.path())));
        }
        if (issues.isEmpty()) {
            issues.add(new HttpProblem.Issue("invalid", invalid.getMessage()));
        }
        return new HttpProblem(422, "invalid", invalid.getMessage(), issues, invalid);
    }

    private static <T extends Throwable> Mapping<T> mapping(Class<T> type,
            Function<? super T, ? extends HttpProblem> answer) {
        return new Mapping<>(Objects.requireNonNull(type, "type"), Objects.requireNonNull(answer, "answer"));
    }

    private record Mapping<T extends Throwable>(Class<T> type, Function<? super T, ? extends HttpProblem> answer) {

        HttpProblem apply(Throwable failure) {
            return Objects.requireNonNull(answer.apply(type.cast(failure)), "a mapping answered null");
        }
    }
}

package org.panacea.rest.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A failure that carries its HTTP answer: the error status, the FHIR issue type ({@link #code()}), the diagnostics
 * the client reads (the message, or one {@link Issue} per problem) and the headers that go with it
 * ({@code Retry-After}, {@code Allow}, {@code WWW-Authenticate}...). An endpoint throws it, or a bundle's own
 * exception extends it, and {@link Problems} answers it as a FHIR OperationOutcome; the api's exceptions, which
 * cannot extend it, are mapped there. Never a stack trace: the diagnostics are what the client may read.
 */
public class HttpProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** One issue of the OperationOutcome: its FHIR issue type, what is wrong, and where (FHIRPath, may be empty). */
    public record Issue(String code, String diagnostics, List<String> expression) {

        public Issue {
            Objects.requireNonNull(code, "code");
            diagnostics = diagnostics == null ? "" : diagnostics;
            expression = List.copyOf(expression);
        }

        public Issue(String code, String diagnostics) {
            this(code, diagnostics, List.of());
        }

        /** One issue of type {@code code} per problem, in order. */
        public static List<Issue> each(String code, List<String> problems) {
            return problems.stream().map(problem -> new Issue(code, problem)).toList();
        }
    }

    /** A body that answers in place of the OperationOutcome (a report of the endpoint's own, such as STOW-RS's). */
    public record Body(String contentType, Object content) {

        public Body {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(content, "content");
        }
    }

    private final int status;
    private final String code;
    private final transient List<Issue> issues;
    private final transient Map<String, String> headers = new LinkedHashMap<>();
    private transient Body body;
    private boolean serverLog;

    /**
     * @param status  the HTTP error status, 400 to 599
     * @param code    the FHIR issue type ({@code invalid}, {@code forbidden}, {@code not-found}, {@code conflict},
     *                {@code too-costly}, {@code not-supported}, {@code transient}, {@code exception}...)
     * @param message the diagnostics: what went wrong, in words the client can act on
     */
    public HttpProblem(int status, String code, String message) {
        this(status, code, message, (Throwable) null);
    }

    /** As {@link #HttpProblem(int, String, String)}, keeping the failure it answers for the server log. */
    public HttpProblem(int status, String code, String message, Throwable cause) {
        this(status, code, message, List.of(new Issue(code, message)), cause);
    }

    /**
     * A problem with several issues, each shown to the client on its own (one per field, say).
     *
     * @param message the whole problem in one sentence (the exception's message; the client reads the issues)
     * @param issues  at least one
     */
    public HttpProblem(int status, String code, String message, List<Issue> issues) {
        this(status, code, message, issues, null);
    }

    /** As {@link #HttpProblem(int, String, String, List)}, keeping the failure it answers for the server log. */
    public HttpProblem(int status, String code, String message, List<Issue> issues, Throwable cause) {
        super(message, cause);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an HTTP problem has an error status (4xx or 5xx), not " + status);
        }
        if (issues.isEmpty()) {
            throw new IllegalArgumentException("an HTTP problem has at least one issue");
        }
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.issues = List.copyOf(issues);
    }

    /** Sets a header of the answer; returns this problem. */
    public final HttpProblem withHeader(String name, String value) {
        headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** {@code Retry-After} in whole seconds (at least 1): when trying again may work. */
    public final HttpProblem withRetryAfter(long seconds) {
        return withHeader("Retry-After", Long.toString(Math.max(1, seconds)));
    }

    /**
     * The server log gets this problem at ERROR with its stack trace (the client never does): for failures an
     * administrator must look at, such as an unexpected exception or an audit trail that cannot record.
     */
    public final HttpProblem withServerLog() {
        serverLog = true;
        return this;
    }

    /** Answers with {@code content} as JSON of {@code contentType} instead of an OperationOutcome. */
    public final HttpProblem withBody(String contentType, Object content) {
        body = new Body(contentType, content);
        return this;
    }

    /** The HTTP status, 400 to 599. */
    public int status() {
        return status;
    }

    /** The FHIR issue type of the problem as a whole. */
    public String code() {
        return code;
    }

    /** The issues of the OperationOutcome; one, with the message, unless the problem was made with several. */
    public List<Issue> issues() {
        return issues;
    }

    /** The headers of the answer, in the order they were set. */
    public Map<String, String> headers() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** Whether the server log gets this problem. */
    public boolean serverLog() {
        return serverLog;
    }

    /** The body that answers in place of the OperationOutcome, if any. */
    public Optional<Body> body() {
        return Optional.ofNullable(body);
    }

    /** The OperationOutcome of this problem as a JSON-ready map: severity {@code fatal} for 5xx, else {@code error}. */
    public Map<String, Object> outcome() {
        String severity = status >= 500 ? "fatal" : "error";
        List<Map<String, Object>> array = new ArrayList<>();
        for (Issue issue : issues) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("severity", severity);
            one.put("code", issue.code());
            one.put("diagnostics", issue.diagnostics());
            if (!issue.expression().isEmpty()) {
                one.put("expression", issue.expression());
            }
            array.add(one);
        }
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("resourceType", "OperationOutcome");
        outcome.put("issue", array);
        return outcome;
    }
}

package org.panacea.rest.http;

import java.io.IOException;

import javax.servlet.http.HttpServletResponse;

/**
 * Successful answers. Only this package sets a status: a success here, an error through {@link Problems} (an
 * {@link HttpProblem}), so that every error is mapped in one place.
 */
public final class Responses {

    private Responses() {
    }

    /**
     * Sets a success or redirection status (100 to 399).
     *
     * @throws IllegalArgumentException for an error status: throw an {@link HttpProblem} instead
     */
    public static void status(HttpServletResponse response, int status) {
        if (status < 100 || status > 399) {
            throw new IllegalArgumentException(status + " is not a success status; answer errors with an HttpProblem");
        }
        response.setStatus(status);
    }

    /**
     * Answers a health probe, as a load balancer sends: {@code 200} when {@code healthy}, else {@code 503 Service
     * Unavailable}, with {@code report} as JSON either way. A 503 here says that this node should be given no
     * requests for now; it is not an error of the request, so it is not an {@link HttpProblem}.
     */
    public static void health(HttpServletResponse response, boolean healthy, Object report) throws IOException {
        response.setStatus(healthy ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        Json.mapper().writeValue(response.getOutputStream(), report);
    }

    /** Answers {@code status} with {@code body} as JSON of {@code contentType} in UTF-8, written by {@link Json}. */
    public static void json(HttpServletResponse response, int status, String contentType, Object body)
            throws IOException {
        status(response, status);
        response.setContentType(contentType);
        response.setCharacterEncoding("UTF-8");
        Json.mapper().writeValue(response.getOutputStream(), body);
    }
}

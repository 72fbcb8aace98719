package org.panacea.rest.http;

/** A request body over an endpoint's size limit: HTTP 413 ({@code too-costly}); the message says the limit. */
public class PayloadTooLargeException extends HttpProblem {

    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(String message) {
        super(413, "too-costly", message);
    }
}

package org.panacea.rest.http;

/** A request body over an endpoint's size limit (HTTP 413); the message says the limit. */
public class PayloadTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(String message) {
        super(message);
    }
}

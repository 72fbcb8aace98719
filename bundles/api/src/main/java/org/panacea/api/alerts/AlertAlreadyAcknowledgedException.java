package org.panacea.api.alerts;

/** The alert was acknowledged already, by whom and when the message says (an HTTP 409). */
public class AlertAlreadyAcknowledgedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public AlertAlreadyAcknowledgedException(String message) {
        super(message);
    }
}

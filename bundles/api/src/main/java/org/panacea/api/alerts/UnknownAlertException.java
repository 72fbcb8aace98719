package org.panacea.api.alerts;

/** There is no alert of the id asked for (an HTTP 404). */
public class UnknownAlertException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownAlertException(long id) {
        super("No alert " + id);
    }
}

package org.panacea.api.audit;

/**
 * The trail could not make an entry durable. The operation being audited must then fail too: Panacea never reports
 * success for an action whose audit entry is not stored.
 */
public class AuditException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.panacea.api.security;

/**
 * Thrown when the {@link AccessPolicy} refuses an operation. The denial has already been written to the audit trail
 * when this is thrown. HTTP maps it to 403 (or 401 when the caller is anonymous).
 */
public class AccessDeniedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient AccessDecision decision;

    public AccessDeniedException(AccessDecision decision) {
        super(decision.reason());
        this.decision = decision;
    }

    /** The decision that refused the operation. */
    public AccessDecision decision() {
        return decision;
    }
}

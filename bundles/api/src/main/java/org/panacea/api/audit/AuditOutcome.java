package org.panacea.api.audit;

/** How it ended, with the FHIR {@code AuditEvent.outcome} code it maps to. */
public enum AuditOutcome {
    SUCCESS("0"),
    /** Refused by the access policy or a signature check. */
    DENIED("4"),
    /** Failed for bad input or a plugin error. */
    FAILURE("8"),
    /** The platform failed. */
    ERROR("12");

    private final String fhirCode;

    AuditOutcome(String fhirCode) {
        this.fhirCode = fhirCode;
    }

    /** The FHIR R4 {@code AuditEvent.outcome} code. */
    public String fhirCode() {
        return fhirCode;
    }
}

package org.panacea.api.audit;

import java.util.Objects;

/**
 * One thing to record. Free of patient data in clear except identifiers the auditor needs ({@code patientId} is the
 * platform's logical id, never a name or MRN); {@code details} is stored only as a digest.
 *
 * @param actor         who did it (login name, or {@code system:<component>})
 * @param role          the role under which it was done, or empty
 * @param action        what was done
 * @param resourceType  FHIR resource type, plugin id kind, or empty
 * @param resourceId    the resource's logical id, plugin id, key version, or empty
 * @param patientId     the logical id of the patient concerned, or empty
 * @param outcome       how it ended
 * @param clientAddress where the request came from
 * @param details       free-form details (parameters, digests, reasons); recorded as a SHA-256 digest
 */
public record AuditEvent(String actor, String role, AuditAction action, String resourceType, String resourceId,
        String patientId, AuditOutcome outcome, String clientAddress, String details) {

    public AuditEvent {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        role = Objects.requireNonNullElse(role, "");
        resourceType = Objects.requireNonNullElse(resourceType, "");
        resourceId = Objects.requireNonNullElse(resourceId, "");
        patientId = Objects.requireNonNullElse(patientId, "");
        clientAddress = Objects.requireNonNullElse(clientAddress, "internal");
        details = Objects.requireNonNullElse(details, "");
    }
}

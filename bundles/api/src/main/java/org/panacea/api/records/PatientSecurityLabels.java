package org.panacea.api.records;

import java.util.Collection;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The security labels a patient's chart carries: the Codings of the Patient resource's {@code meta.security} (HL7 v3
 * ActCode {@code EMP} for an employee, {@code CEL} for a celebrity, ...), as the record stores them now. The record
 * keeps the labels in step with the Patient in the transaction that creates, updates or deletes it (as keyed tokens
 * of its blind index: no label is stored in clear), and every node reads the same database, so an answer is never
 * older than the last committed write.
 * <p>
 * For the platform's own watchers (the alert rules): the answer is a yes or no about labels the caller already
 * names, not a reading of the chart, and it is not audited (the alert rules run on the audit trail's own entries:
 * auditing their look-ups would feed them). Plugins cannot see this service. Thread-safe.
 *
 * @since 1.3
 */
@ProviderType
public interface PatientSecurityLabels {

    /**
     * {@code true} when the Patient {@code patientId} exists and its {@code meta.security} holds at least one of
     * {@code labels}, each given as {@code system|code}; {@code false} for an unknown or deleted patient or no labels.
     *
     * @throws IllegalArgumentException when a label is not {@code system|code} with both parts
     */
    boolean carriesAny(String patientId, Collection<String> labels);
}

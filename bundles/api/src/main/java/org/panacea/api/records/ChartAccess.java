package org.panacea.api.records;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.panacea.api.security.Caller;

/**
 * Who may open which patient's chart: the one place that decides care-relationship access. The record asks it on
 * every door to a chart (FHIR reads, searches, history, {@code $everything}, {@code $export}, DICOMweb and the DICOM
 * network, the console); callers outside the record ask it to break the glass.
 * <p>
 * A clinician or nurse opens a chart when a care relationship exists (an active CareTeam or an Encounter the user's
 * Practitioner takes part in, or a configured department rule), unless a Consent of the patient denies that
 * Practitioner; otherwise only under a break-glass grant. Users are linked to their Practitioner by the identifier
 * {@value #USER_IDENTIFIER_SYSTEM}{@code |<login name>}. Other roles keep their role rules; the platform's own
 * callers and configured network peers are not persons and are not asked about care relationships.
 * <p>
 * A caller whose token's SMART {@code patient/} scopes limit it to one patient
 * ({@link org.panacea.api.security.Caller#launchPatient()}) opens that patient's chart only, whatever its role, care
 * relationships or break-glass grants ({@link CareBasis#OTHER_PATIENT_CONTEXT}); for that patient the rules above
 * still apply: the scopes narrow, never widen. Since 1.3.
 * <p>
 * Every decision is read from the database when asked (several nodes share it): nothing is cached across calls.
 * Thread-safe.
 *
 * @since 1.2
 */
@ProviderType
public interface ChartAccess {

    /** The identifier system of the Practitioner identifier whose value is a user's login name. */
    String USER_IDENTIFIER_SYSTEM = "urn:panacea:user";

    /** The HTTP header carrying the HL7 purpose of use; {@value #BREAK_GLASS_PURPOSE} asks to break the glass. */
    String PURPOSE_OF_USE_HEADER = "X-Purpose-Of-Use";

    /** HL7 v3 PurposeOfUse "break the glass". */
    String BREAK_GLASS_PURPOSE = "BTG";

    /** The HTTP header carrying the free-text reason of a break-glass request. */
    String BREAK_GLASS_REASON_HEADER = "X-Break-Glass-Reason";

    /** The longest reason accepted, in characters. */
    int MAX_REASON_LENGTH = 500;

    /**
     * Whether {@code caller} may open the chart of patient {@code patientId} now, and why. Pure: records nothing.
     * Role rules are not decided here (the {@link org.panacea.api.security.AccessPolicy} decides those first).
     */
    ChartDecision decide(Caller caller, String patientId);

    /**
     * Opens patient {@code patientId}'s chart to {@code caller} outside their care relationships for the configured
     * time, for {@code reason}. The grant is stored in the database (every node sees it); every access under it is
     * audited as {@link org.panacea.api.audit.AuditAction#BREAK_GLASS} with the reason.
     *
     * @throws IllegalArgumentException when the reason is missing, blank or longer than {@link #MAX_REASON_LENGTH}
     * @throws ResourceNotFoundException when there is no such patient
     * @throws org.panacea.api.security.AccessDeniedException when the caller's role may not break the glass
     *                                  (only clinicians may)
     */
    BreakGlassGrant breakGlass(Caller caller, String patientId, String reason);

    /** The caller's grant for the patient that is in force now, if any. */
    Optional<BreakGlassGrant> activeGrant(Caller caller, String patientId);
}

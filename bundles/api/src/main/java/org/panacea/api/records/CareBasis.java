package org.panacea.api.records;

/**
 * What a {@link ChartDecision} rests on.
 *
 * @since 1.2
 */
public enum CareBasis {
    /** The caller is not asked about care relationships: another role, the platform itself, a configured peer. */
    NOT_APPLICABLE,
    /** An active CareTeam of the patient has the caller's Practitioner as a participant. */
    CARE_TEAM,
    /** An Encounter of the patient, not finished or within the configured window, has the caller's Practitioner. */
    ENCOUNTER,
    /** A configured department rule names the caller (or the caller's role) for the patient's department. */
    DEPARTMENT,
    /** A break-glass grant of the caller for this patient is in force. */
    BREAK_GLASS,
    /** A Consent of the patient denies sharing with the caller's Practitioner (refused). */
    CONSENT_DENIED,
    /** No care relationship (refused). */
    NONE,
    /**
     * The caller's token is limited by its SMART {@code patient/} scopes to another patient's chart
     * ({@link org.panacea.api.security.Caller#launchPatient()}); refused whatever care relationship exists.
     *
     * @since 1.3
     */
    OTHER_PATIENT_CONTEXT
}

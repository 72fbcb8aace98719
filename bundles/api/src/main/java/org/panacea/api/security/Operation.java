package org.panacea.api.security;

/** What a caller asks to do; the {@link AccessPolicy} decides each one per role and resource type. */
public enum Operation {
    /** Read one record that identifies a patient. */
    READ,
    /** Search records; results identify patients. */
    SEARCH,
    /** Create a record. */
    CREATE,
    /** Change a record. */
    UPDATE,
    /** Delete a record. */
    DELETE,
    /** Read de-identified or aggregate data (cohort statistics). */
    READ_AGGREGATE,
    /** Run an imaging algorithm on a patient's image. */
    RUN_ALGORITHM,
    /** Ask a prediction model about a patient. */
    RUN_MODEL,
    /** Read or verify the audit trail. */
    READ_AUDIT,
    /** Manage the platform: plugins, keys, configuration. */
    ADMINISTER
}

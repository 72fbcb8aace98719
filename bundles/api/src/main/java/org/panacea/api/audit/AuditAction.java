package org.panacea.api.audit;

/** What happened, as recorded in the audit trail. */
public enum AuditAction {
    CREATE, READ, UPDATE, DELETE, SEARCH, EXPORT,
    LOGIN, ACCESS_DENIED,
    PLUGIN_INSTALLED, PLUGIN_UPDATED, PLUGIN_REMOVED, PLUGIN_REFUSED,
    ALGORITHM_RUN, MODEL_RUN,
    KEY_ROTATED, KEY_REWRAPPED,
    CONFIGURATION_CHANGED
}

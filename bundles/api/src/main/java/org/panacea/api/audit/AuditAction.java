package org.panacea.api.audit;

/**
 * What happened, as recorded in the audit trail. {@link #LOGIN_THROTTLED}: logins of a user from an address (actor
 * the user), or of every user from an address (actor {@code *}), are being refused unchecked after repeated failures;
 * recorded once when the throttling starts and once when it ends, with the number of refused tries, never per try.
 * {@link #RESTORE_EPOCH} and {@link #AUDIT_GAP} are written by the trail itself, never through
 * {@link AuditTrail#record}: an administrator declared a restore of the trail's database from a backup legitimate
 * (anchors made before it that the restored chain no longer matches are superseded, not broken); and events that
 * could not be recorded while the trail was failing (logins, configuration changes, plugin lifecycle), by count.
 * BREAK_GLASS: a user opened a patient's chart outside their care relationships, giving a reason (the entry's
 * detail). {@link #ALERT_RAISED}: an alert rule matched (actor {@code system:alerts}, resource {@code Alert/<id>}, the
 * rule as the role); {@link #ALERT_ACKNOWLEDGED}: an auditor acknowledged an alert with a note (the entry's detail).
 */
public enum AuditAction {
    CREATE, READ, UPDATE, DELETE, SEARCH, EXPORT,
    LOGIN, ACCESS_DENIED, LOGIN_THROTTLED,
    PLUGIN_INSTALLED, PLUGIN_UPDATED, PLUGIN_REMOVED, PLUGIN_REFUSED,
    ALGORITHM_RUN, MODEL_RUN,
    KEY_ROTATED, KEY_REWRAPPED,
    CONFIGURATION_CHANGED,
    RESTORE_EPOCH, AUDIT_GAP,
    /**
     * BREAK_GLASS: a user opened a patient's chart outside their care relationships, giving a reason (the entry's
     * detail).
     */
    BREAK_GLASS,
    ALERT_RAISED, ALERT_ACKNOWLEDGED
}

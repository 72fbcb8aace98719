package org.panacea.api.alerts;

/** Which rule raised an alert. Each is configured in {@code etc/org.panacea.alerts.cfg}. */
public enum AlertRule {
    /** One user opened more charts (distinct patients) in a window than the threshold allows; once per burst. */
    BULK_ACCESS,
    /** A user opened a chart outside their care relationships (a {@code BREAK_GLASS} audit entry). */
    BREAK_GLASS,
    /** One user was refused access repeatedly within a window; once per burst. */
    REPEATED_DENIALS,
    /** Logins of a user or from an address started being throttled after repeated failures (the login throttle). */
    FAILED_LOGINS,
    /** A chart flagged VIP or employee was opened. */
    FLAGGED_CHART,
    /** A chart was opened outside the working hours configured for the user's role. */
    OUTSIDE_WORKING_HOURS,
    /** One user exported more records in a window than the threshold allows; once per burst. */
    BULK_EXPORT,
    /** {@code audit:verify} (or any verification of the trail) found the chain broken. */
    AUDIT_VERIFY_FAILED
}

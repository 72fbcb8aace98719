package org.panacea.api.alerts;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.Caller;

/**
 * The alerts every node raised, for auditors. Both methods check that the caller may read the audit trail (auditors)
 * and audit the access; a refusal is audited and thrown. Thread-safe.
 */
@ProviderType
public interface Alerts {

    /** Longest acknowledgement note kept. */
    int NOTE_LENGTH = 1000;

    /**
     * The newest alerts first.
     *
     * @param openOnly {@code true} for the alerts not yet acknowledged
     * @param limit    most alerts to return, at least 1
     * @throws AccessDeniedException    when the caller is no auditor
     * @throws IllegalArgumentException when {@code limit} is below 1
     */
    List<Alert> list(Caller caller, boolean openOnly, int limit) throws AccessDeniedException;

    /**
     * Acknowledges alert {@code id} with a note, recorded with the caller and the time; audited as
     * {@code ALERT_ACKNOWLEDGED}.
     *
     * @return the alert as now stored
     * @throws AccessDeniedException    when the caller is no auditor
     * @throws IllegalArgumentException when the note is blank or longer than {@link #NOTE_LENGTH}
     * @throws UnknownAlertException    when there is no alert {@code id}
     * @throws AlertAlreadyAcknowledgedException when it was acknowledged already (by whom and when is in the message)
     */
    Alert acknowledge(Caller caller, long id, String note) throws AccessDeniedException;
}

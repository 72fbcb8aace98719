package org.panacea.api.alerts;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An alert as stored. It names the user and the patient's logical id, never a name or other patient data, so it can
 * be sent by e-mail, syslog or webhook.
 *
 * @param id               positive, unique across nodes
 * @param rule             the rule that raised it
 * @param raisedAt         when it was raised
 * @param actor            the user (or address, for throttled logins) it is about, or {@code system:audit}
 * @param patientId        the logical id of the patient concerned, or empty
 * @param summary          what happened, in one line without patient data
 * @param auditSequence    the audit entry that raised it, or 0 when none (a verification)
 * @param node             the node that raised it ({@code karaf.name})
 * @param acknowledgement  who acknowledged it, when and why; empty while open
 */
public record Alert(long id, AlertRule rule, Instant raisedAt, String actor, String patientId, String summary,
        long auditSequence, String node, Optional<Acknowledgement> acknowledgement) {

    public Alert {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(raisedAt, "raisedAt");
        actor = Objects.requireNonNullElse(actor, "");
        patientId = Objects.requireNonNullElse(patientId, "");
        summary = Objects.requireNonNullElse(summary, "");
        node = Objects.requireNonNullElse(node, "");
        acknowledgement = Objects.requireNonNullElse(acknowledgement, Optional.empty());
    }

    /** {@code true} until an auditor acknowledged it. */
    public boolean open() {
        return acknowledgement.isEmpty();
    }

    /**
     * @param by   the auditor's login name
     * @param at   when
     * @param note why it is settled (at most {@link Alerts#NOTE_LENGTH} characters)
     */
    public record Acknowledgement(String by, Instant at, String note) {
        public Acknowledgement {
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(at, "at");
            note = Objects.requireNonNullElse(note, "");
        }
    }
}

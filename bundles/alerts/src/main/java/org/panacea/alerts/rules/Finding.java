package org.panacea.alerts.rules;

import java.time.Instant;
import java.util.Objects;

import org.panacea.api.alerts.AlertRule;

/**
 * What a rule found, before it is stored as an alert. Carries no patient data beyond the patient's logical id.
 *
 * @param rule          the rule that matched
 * @param time          when the matching entry was committed (or the verification ran)
 * @param actor         whom it is about
 * @param patientId     the patient concerned, or empty
 * @param summary       one line, without patient data
 * @param auditSequence the entry that completed the match, or 0
 */
public record Finding(AlertRule rule, Instant time, String actor, String patientId, String summary,
        long auditSequence) {

    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(time, "time");
        actor = Objects.requireNonNullElse(actor, "");
        patientId = Objects.requireNonNullElse(patientId, "");
        summary = Objects.requireNonNullElse(summary, "");
    }
}

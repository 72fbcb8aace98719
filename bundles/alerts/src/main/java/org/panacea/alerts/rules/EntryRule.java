package org.panacea.alerts.rules;

import java.util.Optional;

import org.panacea.api.audit.AuditEntry;

/**
 * One alert rule over committed audit entries. Rules are fed every node's entries in sequence order, from one
 * thread at a time (the evaluating node's); a rule keeps whatever state it needs (windows, bursts) in memory, which a
 * node taking the evaluation over rebuilds by replaying the entries of the longest window.
 */
public interface EntryRule {

    /** @return the finding when {@code entry} completes a match, else empty */
    Optional<Finding> evaluate(AuditEntry entry);
}

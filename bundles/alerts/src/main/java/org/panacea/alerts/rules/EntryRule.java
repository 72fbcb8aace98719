package org.panacea.alerts.rules;

import java.util.Optional;

import org.panacea.api.audit.AuditEntry;

/**
 * One alert rule over committed audit entries. Rules are fed the entries of one node in sequence order, from one
 * thread at a time; a rule keeps whatever state it needs (windows, bursts) in memory.
 */
public interface EntryRule {

    /** @return the finding when {@code entry} completes a match, else empty */
    Optional<Finding> evaluate(AuditEntry entry);
}

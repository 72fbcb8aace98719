package org.panacea.api.audit;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told about entries once they are durable, for export (syslog), alert rules and the like: the entries this node
 * committed, not those other nodes sharing the database appended, so that each entry is handed on once, by the node
 * that wrote it. Registered as an OSGi service; the trail picks up every one.
 *
 * <p>Calls come on the trail's single notification thread, never concurrently, and never on the commit path: a slow
 * or failing listener delays other listeners but not the audited operations. A listener that throws is logged. When
 * listeners fall far behind, batches are dropped for them (and logged), never held up. The entries' details are
 * their digests ({@link AuditEntry#event()}), as stored.
 */
@ConsumerType
public interface CommittedEntryListener {

    /** @param entries committed entries of one batch, in sequence order */
    void onCommitted(List<AuditEntry> entries);
}

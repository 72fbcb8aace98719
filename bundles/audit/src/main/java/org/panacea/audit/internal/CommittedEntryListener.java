package org.panacea.audit.internal;

import java.util.List;

import org.panacea.api.audit.AuditEntry;

/**
 * Told about entries once they are durable, for export (syslog) and the like: the entries this node committed, not
 * those other nodes sharing the database appended, so that each entry is exported once, by the node that wrote it.
 * Registered as an OSGi service inside this bundle; the trail picks up every one.
 *
 * <p>Calls come on the trail's single notification thread, never concurrently, and never on the commit path: a slow
 * or failing listener delays other listeners but not the audited operations. A listener that throws is logged.
 */
public interface CommittedEntryListener {

    /** @param entries committed entries of one batch, in sequence order */
    void onCommitted(List<AuditEntry> entries);
}

package org.panacea.audit.internal;

/**
 * Told about every anchor line once it is durable in this node's anchor file, to send it off the host (syslog).
 * Registered as an OSGi service inside this bundle; the {@link AnchorJournal} picks up every one.
 *
 * <p>Calls come on the journal's single notification thread, never concurrently, and never while an audited
 * operation waits. A listener that throws is logged.
 */
public interface AnchorListener {

    void onAnchored(AnchorLine line);
}

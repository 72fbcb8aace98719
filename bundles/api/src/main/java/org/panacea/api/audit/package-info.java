/**
 * The tamper-evident audit trail: what is recorded about each access and change, how it is searched,
 * and how its integrity is verified. Implemented by the {@code audit} bundle.
 * <p>
 * 1.1.0: {@link org.panacea.api.audit.AuditAction#LOGIN_THROTTLED};
 * {@link org.panacea.api.audit.AuditAction#RESTORE_EPOCH}, {@link org.panacea.api.audit.AuditAction#AUDIT_GAP} and
 * the anchor and gap fields of {@link org.panacea.api.audit.AuditVerification}.
 * <p>
 * 1.2.0: {@link org.panacea.api.audit.AuditTrail#recordAll};
 * {@link org.panacea.api.audit.AuditAction#BREAK_GLASS}, {@link org.panacea.api.audit.AuditAction#ALERT_RAISED},
 * {@link org.panacea.api.audit.AuditAction#ALERT_ACKNOWLEDGED}; {@link org.panacea.api.audit.CommittedEntryListener}
 * and {@link org.panacea.api.audit.VerificationListener}, the trail's notifications.
 * <p>
 * 1.3.0: {@link org.panacea.api.audit.AuditTrail#entriesAfter}, every node's entries in sequence order from a cursor,
 * and {@link org.panacea.api.audit.AlteredEntryException} for an entry it cannot represent.
 * <p>
 * 1.4.0: {@link org.panacea.api.audit.AuditTrail#submitAll} and {@link org.panacea.api.audit.PendingEntries}: entries
 * handed to the trail without waiting, awaited before the audited operation commits.
 */
@Export
@Version("1.4.0")
package org.panacea.api.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

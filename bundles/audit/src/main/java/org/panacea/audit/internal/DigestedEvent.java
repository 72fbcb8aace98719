package org.panacea.audit.internal;

import org.panacea.api.audit.AuditEvent;

/**
 * An event waiting to be appended, with the digest of its details already computed on the caller's thread (so the
 * single writer thread does not have to).
 */
record DigestedEvent(AuditEvent event, String detailsDigest) {
}

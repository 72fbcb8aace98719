package org.panacea.api.audit;

import java.time.Instant;

/**
 * A search of the audit trail; {@code null} fields match everything. Results come newest first.
 *
 * @param patientId patient concerned
 * @param actor     who acted
 * @param action    what was done
 * @param from      inclusive lower bound on time
 * @param to        exclusive upper bound on time
 * @param limit     most entries to return, at least 1
 */
public record AuditQuery(String patientId, String actor, AuditAction action, Instant from, Instant to, int limit) {

    public AuditQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    /** The newest {@code limit} entries. */
    public static AuditQuery latest(int limit) {
        return new AuditQuery(null, null, null, null, null, limit);
    }
}

package org.panacea.api.records;

import java.time.Instant;
import java.util.Objects;

/**
 * Emergency access of one user to one patient's chart, outside their care relationships, for a limited time.
 *
 * @param id        the grant's id
 * @param user      the login name of the user it was granted to
 * @param patientId the logical id of the patient whose chart it opens (and no other)
 * @param reason    the reason the user gave
 * @param granted   when it was granted
 * @param expires   when it stops opening the chart
 * @since 1.2
 */
public record BreakGlassGrant(String id, String user, String patientId, String reason, Instant granted,
        Instant expires) {

    public BreakGlassGrant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(granted, "granted");
        Objects.requireNonNull(expires, "expires");
    }

    /** {@code true} while the grant opens the chart at {@code now}. */
    public boolean inForceAt(Instant now) {
        return !now.isBefore(granted) && now.isBefore(expires);
    }
}

package org.panacea.api.audit;

import java.time.Instant;

/**
 * An event as stored: numbered, timed and chained to the entry before it.
 *
 * @param sequence      1 for the first entry, then consecutive without gaps
 * @param time          when the trail accepted it
 * @param event         the event, with {@link AuditEvent#details()} replaced by its digest
 * @param detailsDigest hex SHA-256 of the original details
 * @param previousHash  hex hash of the entry before ({@code 0...0} for the first)
 * @param hash          hex hash over this entry's fields and {@code previousHash}
 */
public record AuditEntry(long sequence, Instant time, AuditEvent event, String detailsDigest, String previousHash,
        String hash) {
}

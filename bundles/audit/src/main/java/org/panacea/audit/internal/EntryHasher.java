package org.panacea.audit.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The unkeyed SHA-256 digests of the chain. An entry's hash covers every stored field of the entry, its sequence
 * number and the previous entry's hash, in {@link CanonicalEncoding}; changing any of them changes the hash.
 * Stateless and thread-safe.
 */
final class EntryHasher {

    /** The previous hash of entry 1. */
    static final String GENESIS_HASH = "0".repeat(64);

    /** Versions the encoding, so a future layout can never collide with this one. */
    private static final String ENTRY_DOMAIN = "panacea-audit-entry-v1";

    /** Hex SHA-256 of {@code details} in UTF-8: the trail keeps only this, the details may name a patient. */
    String digestDetails(String details) {
        return sha256(details.getBytes(StandardCharsets.UTF_8));
    }

    /** Hex SHA-256 over every field of {@code row} except its own {@link EntryRow#hash()}. */
    String hash(EntryRow row) {
        return sha256(canonical(row));
    }

    /** The exact bytes {@link #hash} digests: every field but the hash, length-prefixed, in a fixed order. */
    static byte[] canonical(EntryRow row) {
        return new CanonicalEncoding()
                .text(ENTRY_DOMAIN)
                .number(row.sequence())
                .instant(row.time())
                .text(row.actor())
                .text(row.role())
                .text(row.action())
                .text(row.resourceType())
                .text(row.resourceId())
                .text(row.patientId())
                .text(row.outcome())
                .text(row.clientAddress())
                .text(row.detailsDigest())
                .text(row.previousHash())
                .toByteArray();
    }

    private static String sha256(byte[] input) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input));
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256.
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}

package org.panacea.audit.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals (sequence, hash) pairs with HMAC-SHA256 under the audit key. Whoever can write the database but not read the
 * key file cannot forge a seal, so a rewritten chain no longer matches its seals. Checkpoint and head seals use
 * different domain labels, so one can never be passed off as the other. Thread-safe.
 */
final class CheckpointSealer {

    private static final String ALGORITHM = "HmacSHA256";
    private static final String CHECKPOINT_DOMAIN = "panacea-audit-checkpoint-v1";
    private static final String HEAD_DOMAIN = "panacea-audit-head-v1";

    private final SecretKeySpec key;

    CheckpointSealer(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /** The periodic checkpoint for entry {@code sequence} with hash {@code hash}. */
    Seal sealCheckpoint(long sequence, String hash) {
        return new Seal(sequence, hash, mac(CHECKPOINT_DOMAIN, sequence, hash));
    }

    /** The seal of the newest entry, rewritten with every commit. */
    Seal sealHead(ChainHead head) {
        return new Seal(head.sequence(), head.hash(), mac(HEAD_DOMAIN, head.sequence(), head.hash()));
    }

    boolean isValidCheckpoint(Seal seal) {
        return sameHex(mac(CHECKPOINT_DOMAIN, seal.sequence(), seal.hash()), seal.mac());
    }

    boolean isValidHead(Seal seal) {
        return sameHex(mac(HEAD_DOMAIN, seal.sequence(), seal.hash()), seal.mac());
    }

    /**
     * The hex HMAC of {@code input}, for statements of other shapes (anchor lines). The input must begin with its own
     * domain label in {@link CanonicalEncoding}, so it can never be taken for a checkpoint or head seal.
     */
    String macOf(byte[] input) {
        try {
            // Mac instances are not thread-safe and cheap to make; sealing happens once per batch.
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(input));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** {@code true} when {@code mac} is the hex HMAC of {@code input}. */
    boolean isValidMac(byte[] input, String mac) {
        return sameHex(macOf(input), mac);
    }

    private String mac(String domain, long sequence, String hash) {
        return macOf(new CanonicalEncoding().text(domain).number(sequence).text(hash).toByteArray());
    }

    /** Constant-time comparison, so timing does not reveal how much of a forged MAC was right. */
    private static boolean sameHex(String expected, String actual) {
        return actual != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                actual.getBytes(StandardCharsets.US_ASCII));
    }
}

package org.panacea.audit.internal;

/**
 * A keyed statement that entry {@code sequence} had hash {@code hash}: either a periodic checkpoint or the head seal.
 *
 * @param sequence the sealed entry's sequence number
 * @param hash     the sealed entry's hex hash
 * @param mac      hex HMAC-SHA256 over both, keyed by the audit key (see {@link CheckpointSealer})
 */
record Seal(long sequence, String hash, String mac) {
}

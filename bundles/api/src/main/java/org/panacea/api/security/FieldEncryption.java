package org.panacea.api.security;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Encryption of protected fields at rest (names, identifiers, birth dates, free text, pixel data) with AES-256-GCM
 * under envelope keys. Each value gets a fresh nonce and carries the key version that sealed it, so values written
 * before a key rotation stay readable. Thread-safe.
 * <p>
 * Each call costs a few microseconds however small the value: a caller that protects many small fields of one record
 * should seal them together as one value (one {@link FieldBinding#field() field} name for the group).
 */
@ProviderType
public interface FieldEncryption {

    /** Seals {@code plaintext} for the place {@code binding} names. The result is self-describing and opaque. */
    byte[] encrypt(FieldBinding binding, byte[] plaintext);

    /**
     * Opens a value sealed by {@link #encrypt} for the same binding.
     *
     * @throws DecryptionException when the value was altered, belongs elsewhere, or its key is unknown
     */
    byte[] decrypt(FieldBinding binding, byte[] sealed) throws DecryptionException;

    /**
     * The blind index of {@code value} for {@code field}: a keyed hash (HMAC) that lets exact-match search find a
     * record without decrypting any row and without revealing the value. Values are normalised first (Unicode
     * NFKC, trimmed, lower case), so {@code " Smith"} and {@code "SMITH"} match. Stable across data-key rotation.
     *
     * @return a URL-safe token of fixed length
     */
    String blindIndex(String field, String value);
}

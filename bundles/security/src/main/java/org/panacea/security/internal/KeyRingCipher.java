package org.panacea.security.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that wraps every row of the shared key ring, derived from the key-store passphrase, and the wrapping
 * itself.
 * <p>
 * Derivation: PBKDF2 with HMAC-SHA-512 (NIST SP 800-132), {@value #DEFAULT_ITERATIONS} iterations by default, over a
 * 32-byte random salt stored with the ring, giving a 256-bit key. PBKDF2 rather than a memory-hard function because
 * it is the derivation the FIPS module approves; the iteration count is the OWASP figure for HMAC-SHA-512, and it is
 * stored with the ring, so a later version can raise it for new rings without losing old ones.
 * <p>
 * Wrapping: AES-256-GCM with a fresh 96-bit nonce; the associated data is the key's name, version and algorithm,
 * so a wrapped key copied to another row, or relabelled, fails its integrity check instead of opening as another
 * key. Stored as {@code nonce || ciphertext || tag}.
 */
final class KeyRingCipher {

    static final String PBKDF2_SHA512 = "PBKDF2-HMAC-SHA512";
    static final int DEFAULT_ITERATIONS = 210_000;
    static final int SALT_BYTES = 32;
    /** Beyond this a forged header would only make a node spin: no honest ring asks for more. */
    static final int MAX_ITERATIONS = 10_000_000;

    private static final String GCM = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] CHECK_TEXT = "panacea key ring".getBytes(StandardCharsets.US_ASCII);

    private final SecretKey wrappingKey;
    private final Provider provider;
    private final SecureRandom nonces;

    private KeyRingCipher(SecretKey wrappingKey, Provider provider) throws GeneralSecurityException {
        this.wrappingKey = wrappingKey;
        this.provider = provider;
        this.nonces = SecureRandom.getInstance("NONCEANDIV", provider);
    }

    /**
     * The wrapping key for {@code passphrase} under the given derivation.
     *
     * @throws GeneralSecurityException when the derivation is unknown or its parameters are out of range
     */
    static KeyRingCipher derive(char[] passphrase, String kdf, int iterations, byte[] salt, Provider provider)
            throws GeneralSecurityException {
        if (!PBKDF2_SHA512.equals(kdf)) {
            throw new GeneralSecurityException("unknown key derivation '" + kdf + "'");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS || salt.length < 16) {
            throw new GeneralSecurityException("key derivation parameters out of range (" + iterations
                    + " iterations, " + salt.length + "-byte salt)");
        }
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
        try {
            byte[] raw = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512", provider).generateSecret(spec)
                    .getEncoded();
            try {
                return new KeyRingCipher(new SecretKeySpec(raw, "AES"), provider);
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        } finally {
            spec.clearPassword();
        }
    }

    /** The header's check value: proves a passphrase right, bound to the derivation it was made with. */
    byte[] checkValue(String kdf, int iterations, byte[] salt) throws GeneralSecurityException {
        return wrap(checkData(kdf, iterations, salt), CHECK_TEXT);
    }

    /** {@code true} when {@code check} was made by {@link #checkValue} under this key and these parameters. */
    boolean opens(byte[] check, String kdf, int iterations, byte[] salt) {
        try {
            return Arrays.equals(CHECK_TEXT, unwrap(checkData(kdf, iterations, salt), check));
        } catch (GeneralSecurityException wrongKey) {
            return false;
        }
    }

    byte[] wrap(String name, int version, String algorithm, byte[] key) throws GeneralSecurityException {
        return wrap(keyData(name, version, algorithm), key);
    }

    /** @throws javax.crypto.AEADBadTagException when the row was altered, copied, or wrapped under another key */
    byte[] unwrap(String name, int version, String algorithm, byte[] wrapped) throws GeneralSecurityException {
        return unwrap(keyData(name, version, algorithm), wrapped);
    }

    private byte[] wrap(byte[] associatedData, byte[] plaintext) throws GeneralSecurityException {
        byte[] nonce = new byte[NONCE_BYTES];
        synchronized (nonces) {
            nonces.nextBytes(nonce);
        }
        Cipher cipher = Cipher.getInstance(GCM, provider);
        cipher.init(Cipher.ENCRYPT_MODE, wrappingKey, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(associatedData);
        byte[] ciphertext = cipher.doFinal(plaintext);
        return ByteBuffer.allocate(NONCE_BYTES + ciphertext.length).put(nonce).put(ciphertext).array();
    }

    private byte[] unwrap(byte[] associatedData, byte[] wrapped) throws GeneralSecurityException {
        if (wrapped.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new javax.crypto.AEADBadTagException("wrapped key too short");
        }
        Cipher cipher = Cipher.getInstance(GCM, provider);
        cipher.init(Cipher.DECRYPT_MODE, wrappingKey, new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE_BYTES));
        cipher.updateAAD(associatedData);
        return cipher.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
    }

    private static byte[] keyData(String name, int version, String algorithm) {
        return encode("panacea-key-v1", name, Integer.toString(version), algorithm);
    }

    private static byte[] checkData(String kdf, int iterations, byte[] salt) {
        return encode("panacea-keyring-check-v1", kdf, Integer.toString(iterations),
                java.util.Base64.getEncoder().encodeToString(salt));
    }

    /** Each part length-prefixed, so no two lists of parts encode alike. */
    private static byte[] encode(String... parts) {
        byte[][] bytes = new byte[parts.length][];
        int length = 0;
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = parts[i].getBytes(StandardCharsets.UTF_8);
            length += 4 + bytes[i].length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        for (byte[] part : bytes) {
            buffer.putInt(part.length).put(part);
        }
        return buffer.array();
    }
}

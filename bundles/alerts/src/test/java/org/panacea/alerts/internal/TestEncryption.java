package org.panacea.alerts.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.FieldBinding;
import org.panacea.api.security.FieldEncryption;

/** AES-GCM under a fixed test key, the binding as associated data: what the real field encryption promises. */
final class TestEncryption implements FieldEncryption {

    private final SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
    private final SecureRandom random = new SecureRandom();

    @Override
    public byte[] encrypt(FieldBinding binding, byte[] plaintext) {
        try {
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(binding.toString().getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] decrypt(FieldBinding binding, byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, 12));
            cipher.updateAAD(binding.toString().getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, 12, sealed.length - 12);
        } catch (GeneralSecurityException e) {
            throw new DecryptionException("test value does not open", e);
        }
    }

    @Override
    public String blindIndex(String field, String value) {
        throw new UnsupportedOperationException("not used by alerts");
    }
}

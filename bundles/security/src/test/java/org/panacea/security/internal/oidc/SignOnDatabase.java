package org.panacea.security.internal.oidc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.FieldBinding;
import org.panacea.api.security.FieldEncryption;

/**
 * The shared web sign-on store of a test: an embedded Derby security database in a test folder, which several
 * sign-on instances (standing for nodes) may share, and AES-GCM sealing bound to each value's place as the platform's
 * field encryption binds it (the platform's own is tested with its key store).
 */
final class SignOnDatabase {

    private SignOnDatabase() {
    }

    static SharedSignOnStore store(Path folder, Clock clock) {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(folder.resolve("security-db").toString());
        dataSource.setCreateDatabase("create");
        return new SharedSignOnStore(dataSource, SEALING, clock);
    }

    static final FieldEncryption SEALING = new FieldEncryption() {
        private final SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
        private final SecureRandom random = new SecureRandom();

        @Override
        public byte[] encrypt(FieldBinding binding, byte[] plaintext) {
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                cipher.updateAAD(place(binding));
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
                cipher.updateAAD(place(binding));
                return cipher.doFinal(sealed, 12, sealed.length - 12);
            } catch (GeneralSecurityException e) {
                throw new DecryptionException("not sealed for " + binding);
            }
        }

        @Override
        public String blindIndex(String field, String value) {
            throw new UnsupportedOperationException();
        }

        private byte[] place(FieldBinding binding) {
            return (binding.resourceType() + "/" + binding.recordId() + "/" + binding.field())
                    .getBytes(StandardCharsets.UTF_8);
        }
    };
}

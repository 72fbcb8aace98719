package org.panacea.security.internal;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.FieldEncryption;

/** The security bundle's real envelope encryption, built outside OSGi for the records tests. */
public final class TestEncryption {

    private TestEncryption() {
    }

    /**
     * @param keyStore    a key store file of an earlier version to import, when it exists
     * @param keyDatabase the security database, which holds the keys
     */
    public static FieldEncryption create(Path keyStore, DataSource keyDatabase, AuditTrail audit) throws Exception {
        // Few PBKDF2 iterations: the ring states its own count, and the tests open many.
        return new EnvelopeEncryption(KeyEncryptionKeys.open(keyDatabase, "records-test".toCharArray(),
                FipsProvider.get(), keyStore, 1_000), keyDatabase, audit, FipsProvider.get());
    }
}

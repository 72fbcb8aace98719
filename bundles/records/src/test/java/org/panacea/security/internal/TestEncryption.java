package org.panacea.security.internal;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.FieldEncryption;

/** The security bundle's real envelope encryption, built outside OSGi for the records tests. */
public final class TestEncryption {

    private TestEncryption() {
    }

    public static FieldEncryption create(Path keyStore, DataSource keyDatabase, AuditTrail audit) throws Exception {
        return new EnvelopeEncryption(KeyEncryptionKeys.openOrCreate(keyStore, "records-test".toCharArray(),
                FipsProvider.get()), keyDatabase, audit, FipsProvider.get());
    }
}

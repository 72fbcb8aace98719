package org.panacea.security.internal;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.panacea.api.security.FieldEncryption;

/** The security bundle's envelope encryption for benchmarks of other bundles. */
public final class BenchmarkEncryption {

    private BenchmarkEncryption() {
    }

    public static FieldEncryption create(Path keyStore, DataSource keyDatabase) throws Exception {
        return new EnvelopeEncryption(KeyEncryptionKeys.open(keyDatabase, "benchmark".toCharArray(),
                FipsProvider.get(), keyStore, 1_000), keyDatabase, new NoAuditTrail(), FipsProvider.get());
    }
}

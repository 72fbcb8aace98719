package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.security.Caller;
import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.FieldBinding;
import org.panacea.api.security.KeyVersion;
import org.panacea.api.security.RewrapProgress;
import org.panacea.testsupport.RecordingAuditTrail;

/** Envelope encryption against the real key ring and data keys in a real embedded Derby. */
class EnvelopeEncryptionTest {

    private static final Provider PROVIDER = FipsProvider.get();
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
    private static final Caller ADMIN = new CallerSeals().issue("system:test", java.util.Set.of(org.panacea.api.security.Role.ADMIN), "internal");

    @TempDir
    Path dir;

    private EmbeddedDataSource dataSource;
    private RecordingAuditTrail audit;

    @BeforeEach
    void database() {
        dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(dir.resolve("db").toString());
        dataSource.setCreateDatabase("create");
        audit = new RecordingAuditTrail();
    }

    @AfterEach
    void shutDown() {
        try {
            DriverManager.getConnection("jdbc:derby:" + dir.resolve("db") + ";shutdown=true");
        } catch (SQLException expected) {
            // Derby reports a clean shutdown as an exception
        }
    }

    private EnvelopeEncryption open() throws Exception {
        return new EnvelopeEncryption(KeyEncryptionKeys.open(dataSource, PASSPHRASE, PROVIDER, null,
                KeyDatabases.TEST_ITERATIONS), dataSource, audit, PROVIDER);
    }

    private static FieldBinding name(String id) {
        return new FieldBinding("Patient", id, "name");
    }

    @Test
    void roundTripsEverySizeWithAFreshNonceEachTime() throws Exception {
        EnvelopeEncryption encryption = open();
        for (int size : new int[] { 0, 1, 32, 4096, 512 * 1024 }) {
            byte[] plaintext = new byte[size];
            new java.util.Random(size).nextBytes(plaintext);
            byte[] first = encryption.encrypt(name("p1"), plaintext);
            byte[] second = encryption.encrypt(name("p1"), plaintext);
            assertFalse(java.util.Arrays.equals(first, second), "two encryptions of one value must differ");
            assertArrayEquals(plaintext, encryption.decrypt(name("p1"), first));
            assertEquals(size + SealedValue.HEADER_BYTES + SealedValue.TAG_BYTES, first.length);
        }
    }

    @Test
    void aValueMovedToAnotherRecordOrFieldFailsToDecrypt() throws Exception {
        EnvelopeEncryption encryption = open();
        byte[] sealed = encryption.encrypt(name("p1"), "Ada Lovelace".getBytes(StandardCharsets.UTF_8));
        DecryptionException otherRecord = assertThrows(DecryptionException.class,
                () -> encryption.decrypt(name("p2"), sealed));
        assertTrue(otherRecord.getMessage().contains("Patient/p2 field 'name'"), otherRecord.getMessage());
        assertThrows(DecryptionException.class,
                () -> encryption.decrypt(new FieldBinding("Patient", "p1", "birthDate"), sealed));
        assertThrows(DecryptionException.class,
                () -> encryption.decrypt(new FieldBinding("Practitioner", "p1", "name"), sealed));
    }

    @Test
    void tamperedValuesAreRefusedWithAClearMessage() throws Exception {
        EnvelopeEncryption encryption = open();
        byte[] sealed = encryption.encrypt(name("p1"), "Ada Lovelace".getBytes(StandardCharsets.UTF_8));
        for (int position : new int[] { SealedValue.HEADER_BYTES, sealed.length - 1, 7 }) {
            byte[] altered = sealed.clone();
            altered[position] ^= 0x20;
            DecryptionException e = assertThrows(DecryptionException.class, () -> encryption.decrypt(name("p1"), altered));
            assertTrue(e.getMessage().contains("integrity"), e.getMessage());
            assertFalse(e.getMessage().contains("Ada"), "the message must not reveal plaintext");
        }
        byte[] unknownKey = sealed.clone();
        unknownKey[4] = 99;
        assertTrue(assertThrows(DecryptionException.class, () -> encryption.decrypt(name("p1"), unknownKey))
                .getMessage().contains("data key"));
        assertThrows(DecryptionException.class, () -> encryption.decrypt(name("p1"), new byte[5]));
    }

    @Test
    void rotationAndRewrapKeepEveryOldValueReadable() throws Exception {
        EnvelopeEncryption encryption = open();
        Map<String, byte[]> written = new LinkedHashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 10; i++) {
                String id = "p" + round + "-" + i;
                written.put(id, encryption.encrypt(name(id), ("patient " + id).getBytes(StandardCharsets.UTF_8)));
            }
            encryption.rotate(ADMIN);
        }
        List<KeyVersion> versions = encryption.keyVersions();
        assertEquals(4, versions.size());
        assertTrue(versions.get(3).active());
        assertEquals(List.of(1L, 1L, 1L, 1L), versions.stream().map(KeyVersion::dataKeysWrapped).toList());
        assertEquals(3, audit.events().stream().filter(e -> e.action() == AuditAction.KEY_ROTATED).count());

        List<RewrapProgress> progress = new ArrayList<>();
        RewrapProgress result = encryption.rewrap(ADMIN, progress::add);
        assertTrue(result.finished());
        assertEquals(new RewrapProgress(3, 3), result);
        assertEquals(4, progress.size(), "progress is reported before and after each data key");
        assertEquals(List.of(0L, 0L, 0L, 4L), encryption.keyVersions().stream().map(KeyVersion::dataKeysWrapped).toList());

        // A restart (new instance, same database) reads every value written under every key version.
        EnvelopeEncryption restarted = open();
        for (Map.Entry<String, byte[]> value : written.entrySet()) {
            assertEquals("patient " + value.getKey(),
                    new String(restarted.decrypt(name(value.getKey()), value.getValue()), StandardCharsets.UTF_8));
        }
        assertEquals(new RewrapProgress(0, 0), restarted.rewrap(ADMIN, p -> { }), "nothing left to re-wrap");
    }

    @Test
    void theBlindIndexMatchesNormalisedValuesOnlyAndSurvivesRotation() throws Exception {
        EnvelopeEncryption encryption = open();
        String smith = encryption.blindIndex("family", "Smith");
        assertEquals(smith, encryption.blindIndex("family", "  SMITH "));
        assertEquals(smith, encryption.blindIndex("family", "ｓｍｉｔｈ"), "full-width letters normalise (NFKC)");
        assertNotEquals(smith, encryption.blindIndex("family", "Smyth"));
        assertNotEquals(smith, encryption.blindIndex("given", "Smith"), "the field is part of the index");
        assertEquals(22, smith.length());
        encryption.rotate(ADMIN);
        assertEquals(smith, open().blindIndex("family", "smith"));
    }


    @Test
    void passphraseComesFromEnvironmentThenConfigurationThenAFileCreatedOnFirstStart() throws Exception {
        Path file = dir.resolve("etc/passphrase");
        assertArrayEquals("env".toCharArray(), KeyStorePassphrase.resolve("env", "cfg", file, false));
        assertArrayEquals("cfg".toCharArray(), KeyStorePassphrase.resolve("", "cfg", file, false));
        assertThrows(KeyStoreUnavailableException.class, () -> KeyStorePassphrase.resolve(null, "", file, true),
                "an existing store with no passphrase anywhere must not get a new one");
        char[] generated = KeyStorePassphrase.resolve(null, "", file, false);
        assertTrue(generated.length >= 40);
        assertArrayEquals(generated, KeyStorePassphrase.resolve(null, "", file, true));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)));
    }
}

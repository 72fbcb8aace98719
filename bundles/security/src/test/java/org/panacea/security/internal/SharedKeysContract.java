package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.security.Caller;
import org.panacea.api.security.FieldBinding;
import org.panacea.api.security.KeyVersion;
import org.panacea.api.security.Role;
import org.panacea.api.security.SharedSecrets;
import org.panacea.security.internal.KeyRingRepository.KeyRow;
import org.panacea.testsupport.RecordingAuditTrail;

/**
 * Several nodes on one security database, each a security bundle of its own (its own key ring object, envelope
 * encryption and caches) that knows only the database and the passphrase: they end with the same keys even when
 * started at once, a rotation on one is used by the others without a restart, the file key store of an earlier
 * version is imported once, and the database alone opens nothing. Run on embedded Derby and on PostgreSQL.
 */
abstract class SharedKeysContract {

    static final Provider PROVIDER = FipsProvider.get();
    static final char[] PASSPHRASE = "shared by every node of this hospital".toCharArray();
    static final Caller ADMIN = new CallerSeals().issue("system:test", Set.of(Role.ADMIN), "internal");

    @TempDir
    Path dir;

    /** A new, empty security database for each call of a test. */
    abstract DataSource emptyDatabase() throws Exception;

    /** One node: its own key ring and encryption over the shared database. */
    record Node(KeyEncryptionKeys keys, EnvelopeEncryption encryption, SharedSecrets secrets) {
    }

    static Node node(DataSource database) throws Exception {
        return node(database, Duration.ZERO, PASSPHRASE, null);
    }

    static Node node(DataSource database, Duration refreshBound, char[] passphrase, Path legacyStore)
            throws Exception {
        KeyEncryptionKeys keys = KeyEncryptionKeys.open(database, passphrase, PROVIDER, legacyStore,
                KeyDatabases.TEST_ITERATIONS);
        return new Node(keys, new EnvelopeEncryption(keys, database, new RecordingAuditTrail(), PROVIDER,
                refreshBound), new KeyRingSecrets(keys));
    }

    /** The key ring alone, as a node opens it before its encryption starts. */
    static KeyEncryptionKeys keys(DataSource database) throws Exception {
        return KeyEncryptionKeys.open(database, PASSPHRASE, PROVIDER, null, KeyDatabases.TEST_ITERATIONS);
    }

    static FieldBinding binding(String id) {
        return new FieldBinding("Patient", id, "name");
    }

    static byte[] seal(Node node, String id) {
        return node.encryption().encrypt(binding(id), ("patient " + id).getBytes(StandardCharsets.UTF_8));
    }

    static String open(Node node, String id, byte[] sealed) {
        return new String(node.encryption().decrypt(binding(id), sealed), StandardCharsets.UTF_8);
    }

    static int dataKeyOf(byte[] sealed) {
        return SealedValue.dataKeyId(sealed);
    }

    @Test
    void nodesStartedAtOnceOnAnEmptyDatabaseEndWithTheSameKeys() throws Exception {
        int nodes = 4;
        for (int round = 0; round < 3; round++) {
            DataSource database = emptyDatabase();
            CyclicBarrier start = new CyclicBarrier(nodes);
            ExecutorService threads = Executors.newFixedThreadPool(nodes);
            try {
                List<Future<Node>> started = new ArrayList<>();
                for (int i = 0; i < nodes; i++) {
                    started.add(threads.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        Node node = node(database);
                        // Each asks for the shared secret at once too, with nothing of its own to adopt.
                        node.secrets().secret("audit.seal", 32, () -> null);
                        return node;
                    }));
                }
                List<Node> all = new ArrayList<>();
                for (Future<Node> node : started) {
                    all.add(node.get(60, TimeUnit.SECONDS));
                }
                Node first = all.get(0);
                byte[] secret = first.secrets().secret("audit.seal", 32, () -> null);
                for (Node node : all) {
                    assertArrayEquals(first.keys().kek(1).getEncoded(), node.keys().kek(1).getEncoded());
                    assertArrayEquals(first.keys().blindIndexKey().getEncoded(),
                            node.keys().blindIndexKey().getEncoded());
                    assertArrayEquals(secret, node.secrets().secret("audit.seal", 32, () -> null));
                    assertEquals(first.encryption().blindIndex("family", "Smith"),
                            node.encryption().blindIndex("family", "Smith"));
                    // Whatever node sealed a value, every other node opens it.
                    for (Node reader : all) {
                        assertEquals("patient p", open(reader, "p", seal(node, "p")));
                    }
                }
                KeyRingRepository ring = new KeyRingRepository(database);
                assertEquals(List.of("blind-index/1", "kek/1", "secret:audit.seal/1"),
                        ring.all().stream().map(k -> k.name() + "/" + k.version()).toList(), "one ring, not four");
                assertEquals(1, new DataKeyRepository(database).all().size(), "one data key, not four");
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void aRotationOnOneNodeIsUsedByTheOtherForItsNextEncryptionAndOldDataStillOpens() throws Exception {
        DataSource database = emptyDatabase();
        Node a = node(database);
        Node b = node(database);
        byte[] beforeByA = seal(a, "before-a");
        byte[] beforeByB = seal(b, "before-b");
        assertEquals(1, dataKeyOf(beforeByB));

        KeyVersion rotated = a.encryption().rotate(ADMIN);
        assertEquals(2, rotated.version());
        byte[] afterByA = seal(a, "after-a");
        byte[] afterByB = seal(b, "after-b");
        assertEquals(dataKeyOf(afterByA), dataKeyOf(afterByB), "B's next value uses the key A's rotation made");
        assertNotEquals(1, dataKeyOf(afterByB));

        for (Node node : List.of(a, b)) {
            assertEquals("patient before-a", open(node, "before-a", beforeByA));
            assertEquals("patient before-b", open(node, "before-b", beforeByB));
            assertEquals("patient after-a", open(node, "after-a", afterByA));
            assertEquals("patient after-b", open(node, "after-b", afterByB));
            List<KeyVersion> versions = node.encryption().keyVersions();
            assertEquals(List.of(1, 2), versions.stream().map(KeyVersion::version).toList());
            assertTrue(versions.get(1).active());
        }

        // Re-wrap on B: A still opens everything (its data keys are the same keys), and a node started later too.
        assertTrue(b.encryption().rewrap(ADMIN, progress -> { }).finished());
        assertEquals(List.of(0L, 2L), a.encryption().keyVersions().stream().map(KeyVersion::dataKeysWrapped).toList());
        Node later = node(database);
        for (Node node : List.of(a, later)) {
            assertEquals("patient before-b", open(node, "before-b", beforeByB));
            assertEquals("patient after-a", open(node, "after-a", afterByA));
        }
        // A second rotation, on B this time, reaches A the same way.
        b.encryption().rotate(ADMIN);
        assertEquals(dataKeyOf(seal(b, "x")), dataKeyOf(seal(a, "y")));
        assertEquals("patient after-b", open(later, "after-b", afterByB));
    }

    @Test
    void withTheDefaultBoundAnotherNodeTakesTheNewKeyUpWithinIt() throws Exception {
        DataSource database = emptyDatabase();
        Node a = node(database);
        Node b = node(database, EnvelopeEncryption.REFRESH_BOUND, PASSPHRASE, null);
        seal(b, "warm");
        a.encryption().rotate(ADMIN);
        int newest = dataKeyOf(seal(a, "new"));
        long started = System.nanoTime();
        while (dataKeyOf(seal(b, "b")) != newest) {
            assertTrue(System.nanoTime() - started < EnvelopeEncryption.REFRESH_BOUND.toNanos() * 5,
                    "B never took up the rotated key");
            Thread.sleep(20);
        }
        // And a value sealed by a key B has never loaded opens at once, whatever the bound.
        Node c = node(database, Duration.ofHours(1), PASSPHRASE, null);
        a.encryption().rotate(ADMIN);
        byte[] sealed = seal(a, "newest");
        assertEquals("patient newest", open(c, "newest", sealed));
    }

    @Test
    void rotationsOnTwoNodesAtOnceEachGetAVersionOfTheirOwn() throws Exception {
        DataSource database = emptyDatabase();
        Node a = node(database);
        Node b = node(database);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<KeyVersion>> rotations = new ArrayList<>();
            for (Node node : List.of(a, b)) {
                Callable<KeyVersion> rotate = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return node.encryption().rotate(ADMIN);
                };
                rotations.add(threads.submit(rotate));
            }
            Set<Integer> versions = new HashSet<>();
            for (Future<KeyVersion> rotation : rotations) {
                versions.add(rotation.get(60, TimeUnit.SECONDS).version());
            }
            assertEquals(Set.of(2, 3), versions);
        } finally {
            threads.shutdownNow();
        }
        assertEquals(dataKeyOf(seal(a, "a")), dataKeyOf(seal(b, "b")));
        assertEquals(3, new DataKeyRepository(database).all().size());
    }

    @Test
    void aWrongPassphraseIsRefusedWithOneClearMessage() throws Exception {
        DataSource database = emptyDatabase();
        node(database);
        String wrong = "not the passphrase of this hospital";
        KeyStoreUnavailableException e = assertThrows(KeyStoreUnavailableException.class,
                () -> node(database, Duration.ZERO, wrong.toCharArray(), null));
        assertTrue(e.getMessage().contains("wrong passphrase"), e.getMessage());
        assertTrue(e.getMessage().contains("PANACEA_KEYSTORE_PASSPHRASE"), e.getMessage());
        assertFalse(e.getMessage().contains(wrong), "the message never repeats a passphrase");
        assertFalse(e.getMessage().contains(new String(PASSPHRASE)), "the message never repeats a passphrase");
    }

    @Test
    void theRingStatesItsDerivationAndTheDatabaseAloneOpensNoKey() throws Exception {
        DataSource database = emptyDatabase();
        // The default derivation once, to see what a real ring states.
        KeyEncryptionKeys keys = KeyEncryptionKeys.open(database, PASSPHRASE, PROVIDER);
        KeyRingRepository.Header header = new KeyRingRepository(database).header().orElseThrow();
        assertEquals("PBKDF2-HMAC-SHA512", header.kdf());
        assertEquals(210_000, header.iterations());
        assertEquals(32, header.salt().length);

        EnvelopeEncryption encryption = new EnvelopeEncryption(keys, database, new RecordingAuditTrail(), PROVIDER,
                Duration.ZERO);
        encryption.rotate(ADMIN);
        byte[] secret = new KeyRingSecrets(keys).secret("audit.seal", 32, () -> null);
        List<byte[]> plaintextKeys = List.of(keys.kek(1).getEncoded(), keys.kek(2).getEncoded(),
                keys.blindIndexKey().getEncoded(), secret);

        // Everything the database holds, as text and as the bytes of every Base64 value in it.
        List<byte[]> stored = new ArrayList<>();
        for (String table : KeyDatabases.TABLES) {
            try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
                ResultSetMetaData columns = rows.getMetaData();
                while (rows.next()) {
                    for (int column = 1; column <= columns.getColumnCount(); column++) {
                        String value = String.valueOf(rows.getObject(column));
                        stored.add(value.getBytes(StandardCharsets.UTF_8));
                        try {
                            stored.add(Base64.getDecoder().decode(value));
                        } catch (IllegalArgumentException notBase64) {
                            // a number or a time
                        }
                    }
                }
            }
        }
        for (byte[] value : stored) {
            for (byte[] key : plaintextKeys) {
                assertFalse(contains(value, key), "a key lies in the database unwrapped");
            }
            assertFalse(contains(value, new String(PASSPHRASE).getBytes(StandardCharsets.UTF_8)));
        }
        // Without the passphrase, nothing opens; the blind-index key is not guessable from the rows either.
        for (String guess : List.of("", "panacea", "admin", new String(PASSPHRASE) + " ")) {
            assertThrows(KeyStoreUnavailableException.class,
                    () -> node(database, Duration.ZERO, guess.toCharArray(), null), guess);
        }
    }

    @Test
    void aKeyRowCopiedRelabelledOrAlteredDoesNotUnwrap() throws Exception {
        DataSource database = emptyDatabase();
        Node a = node(database);
        a.encryption().rotate(ADMIN);
        a.secrets().secret("audit.seal", 32, () -> null);
        Map<String, KeyRow> rows = new java.util.HashMap<>();
        for (KeyRow row : new KeyRingRepository(database).all()) {
            rows.put(row.name() + "/" + row.version(), row);
        }

        // kek 1's wrapping copied over kek 2: a node reaching for version 2 gets an integrity error, not kek 1.
        setWrapped(database, "kek", 2, rows.get("kek/1").wrapped());
        KeyStoreUnavailableException copied = assertThrows(KeyStoreUnavailableException.class,
                () -> keys(database).kek(2));
        assertTrue(copied.getMessage().contains("kek version 2") && copied.getMessage().contains("integrity"),
                copied.getMessage());
        setWrapped(database, "kek", 2, rows.get("kek/2").wrapped());

        // The blind-index key's wrapping put in place of kek 1 (a key of the same length under the same key).
        setWrapped(database, "kek", 1, rows.get("blind-index/1").wrapped());
        assertThrows(KeyStoreUnavailableException.class, () -> keys(database).kek(1));
        setWrapped(database, "kek", 1, rows.get("kek/1").wrapped());

        // A secret's row copied under another name opens as nothing.
        KeyDatabases.execute(database, "INSERT INTO " + KeyRingRepository.KEY_TABLE + " (NAME, VERSION, ALGORITHM, "
                + "WRAPPED, CREATED) SELECT 'secret:other', VERSION, ALGORITHM, WRAPPED, CREATED FROM "
                + KeyRingRepository.KEY_TABLE + " WHERE NAME = 'secret:audit.seal'");
        assertThrows(IllegalStateException.class, () -> node(database).secrets().secret("other", 32, () -> null));

        // A relabelled algorithm and a flipped bit are refused too.
        KeyDatabases.execute(database, "UPDATE " + KeyRingRepository.KEY_TABLE + " SET ALGORITHM = 'AES' WHERE NAME = "
                + "'blind-index'");
        assertThrows(KeyStoreUnavailableException.class, () -> node(database));
        KeyDatabases.execute(database, "UPDATE " + KeyRingRepository.KEY_TABLE + " SET ALGORITHM = 'HmacSHA256' WHERE "
                + "NAME = 'blind-index'");
        byte[] flipped = rows.get("blind-index/1").wrapped().clone();
        flipped[flipped.length - 20] ^= 1;
        setWrapped(database, "blind-index", 1, flipped);
        assertTrue(assertThrows(KeyStoreUnavailableException.class, () -> node(database)).getMessage()
                .contains("integrity"));
        setWrapped(database, "blind-index", 1, rows.get("blind-index/1").wrapped());

        // Lowering the header's iteration count (to make guessing cheaper) makes the ring refuse every passphrase.
        KeyDatabases.execute(database, "UPDATE " + KeyRingRepository.RING_TABLE + " SET ITERATIONS = 1");
        assertTrue(assertThrows(KeyStoreUnavailableException.class, () -> node(database)).getMessage()
                .contains("wrong passphrase"));
        KeyDatabases.execute(database, "UPDATE " + KeyRingRepository.RING_TABLE + " SET ITERATIONS = "
                + KeyDatabases.TEST_ITERATIONS);
        assertEquals("patient ok", open(node(database), "ok", seal(a, "ok")), "restored rows open again");
    }

    @Test
    void theFileKeyStoreOfAnEarlierVersionIsImportedOnceAndItsDataStillOpens() throws Exception {
        DataSource database = emptyDatabase();
        byte[] kek1 = bytes(1);
        byte[] kek2 = bytes(2);
        byte[] index = bytes(3);
        Path file = dir.resolve("etc/panacea-keys.bcfks");
        writeLegacyStore(file, kek1, kek2, index);
        // A data key the earlier version stored, wrapped under its kek 2, and a value it sealed with it.
        byte[] dataKey = bytes(4);
        new DataKeyRepository(database).createSchemaIfMissing();
        new DataKeyRepository(database).insert(new DataKeyRepository.WrappedDataKey(1, 2,
                legacyWrap(1, dataKey, kek2), java.time.Instant.now()));
        byte[] earlierValue = legacySeal(1, dataKey, binding("old"), "patient old");

        Node first = node(database, Duration.ZERO, PASSPHRASE, file);
        assertFalse(Files.exists(file), "the file is not read again");
        assertTrue(Files.exists(dir.resolve("etc/panacea-keys.bcfks.imported")), "but kept until deleted");
        assertArrayEquals(kek1, first.keys().kek(1).getEncoded());
        assertArrayEquals(kek2, first.keys().kek(2).getEncoded());
        assertEquals("patient old", open(first, "old", earlierValue));
        assertEquals(hmacIndex(index, "family", "smith"), first.encryption().blindIndex("family", " Smith"),
                "search tokens stored by the earlier version still match");

        // A second node joins with the database and the passphrase only.
        Node second = node(database);
        assertEquals("patient old", open(second, "old", earlierValue));
        // A node that still has a copy of the same file is fine; the copy is set aside too.
        Path copy = dir.resolve("other-node/etc/panacea-keys.bcfks");
        writeLegacyStore(copy, kek1, kek2, index);
        node(database, Duration.ZERO, PASSPHRASE, copy);
        assertFalse(Files.exists(copy));
        // A node whose file holds other keys is refused: it is not of this installation.
        Path foreign = dir.resolve("foreign/etc/panacea-keys.bcfks");
        writeLegacyStore(foreign, bytes(5), kek2, index);
        KeyStoreUnavailableException refused = assertThrows(KeyStoreUnavailableException.class,
                () -> node(database, Duration.ZERO, PASSPHRASE, foreign));
        assertTrue(refused.getMessage().contains("differs"), refused.getMessage());
        assertTrue(Files.exists(foreign), "a refused file is left where it is");
    }

    @Test
    void dataKeysWithoutTheirKeyStoreFileAreNeverGivenNewKeys() throws Exception {
        DataSource database = emptyDatabase();
        new DataKeyRepository(database).createSchemaIfMissing();
        new DataKeyRepository(database).insert(new DataKeyRepository.WrappedDataKey(1, 1,
                legacyWrap(1, bytes(4), bytes(1)), java.time.Instant.now()));
        Path missing = dir.resolve("etc/panacea-keys.bcfks");
        KeyStoreUnavailableException e = assertThrows(KeyStoreUnavailableException.class,
                () -> node(database, Duration.ZERO, PASSPHRASE, missing));
        assertTrue(e.getMessage().contains("not found at " + missing), e.getMessage());
        assertTrue(new KeyRingRepository(database).header().isEmpty(), "no ring was made");
    }

    @Test
    void aSharedSecretAdoptsTheFirstNodesFormerCopyOnce() throws Exception {
        DataSource database = emptyDatabase();
        Node a = node(database);
        Node b = node(database);
        byte[] former = bytes(9);
        AtomicInteger asked = new AtomicInteger();
        assertArrayEquals(former, a.secrets().secret("audit.seal", 32, () -> {
            asked.incrementAndGet();
            return former.clone();
        }));
        assertArrayEquals(former, b.secrets().secret("audit.seal", 32, () -> {
            asked.incrementAndGet();
            return bytes(10);
        }), "B gets the secret A adopted, not its own");
        assertEquals(1, asked.get(), "an existing secret asks for no former copy");
        assertArrayEquals(former, node(database).secrets().secret("audit.seal", 32, () -> null));
        assertThrows(IllegalArgumentException.class, () -> a.secrets().secret("../kek", 32, () -> null));
        assertThrows(IllegalArgumentException.class, () -> a.secrets().secret("Audit", 32, () -> null));
        assertThrows(IllegalArgumentException.class, () -> a.secrets().secret("x", 8, () -> null));
    }

    private static void setWrapped(DataSource database, String name, int version, byte[] wrapped) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE " + KeyRingRepository.KEY_TABLE
                        + " SET WRAPPED = ? WHERE NAME = ? AND VERSION = ?")) {
            update.setString(1, Base64.getEncoder().encodeToString(wrapped));
            update.setString(2, name);
            update.setInt(3, version);
            assertEquals(1, update.executeUpdate());
        }
    }

    static byte[] bytes(int seed) {
        byte[] bytes = new byte[32];
        new java.util.Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The key store file exactly as the earlier version wrote it. */
    static void writeLegacyStore(Path file, byte[] kek1, byte[] kek2, byte[] index) throws Exception {
        KeyStore store = KeyStore.getInstance("BCFKS", PROVIDER);
        store.load(null, null);
        KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(PASSPHRASE);
        store.setEntry("blind-index-1", new KeyStore.SecretKeyEntry(new SecretKeySpec(index, "HmacSHA256")), protection);
        store.setEntry("kek-1", new KeyStore.SecretKeyEntry(new SecretKeySpec(kek1, "AES")), protection);
        store.setEntry("kek-2", new KeyStore.SecretKeyEntry(new SecretKeySpec(kek2, "AES")), protection);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSPHRASE);
        }
    }

    /** A data key wrapped as every version stores it: AES-GCM under a key version, bound to the data key's id. */
    static byte[] legacyWrap(int id, byte[] dataKey, byte[] kek) throws Exception {
        byte[] nonce = bytes(id + 100);
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding", PROVIDER);
        cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, nonce, 0, 12));
        cipher.updateAAD(("panacea-data-key:" + id).getBytes(StandardCharsets.UTF_8));
        byte[] ciphertext = cipher.doFinal(dataKey);
        return ByteBuffer.allocate(12 + ciphertext.length).put(nonce, 0, 12).put(ciphertext).array();
    }

    /** A value sealed in the documented layout, as the earlier version wrote it. */
    static byte[] legacySeal(int keyId, byte[] dataKey, FieldBinding binding, String text) throws Exception {
        byte[] plaintext = text.getBytes(StandardCharsets.UTF_8);
        byte[] sealed = new byte[SealedValue.HEADER_BYTES + plaintext.length + SealedValue.TAG_BYTES];
        sealed[0] = SealedValue.FORMAT;
        ByteBuffer.wrap(sealed, 1, 4).putInt(keyId);
        System.arraycopy(bytes(7), 0, sealed, 5, SealedValue.NONCE_BYTES);
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding", PROVIDER);
        cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, sealed, 5, SealedValue.NONCE_BYTES));
        cipher.updateAAD(SealedValue.associatedData(sealed, binding));
        cipher.doFinal(plaintext, 0, plaintext.length, sealed, SealedValue.HEADER_BYTES);
        return sealed;
    }

    /** The blind index as documented: HMAC-SHA-256 of field, a zero byte and the normalised value, 16 bytes. */
    static String hmacIndex(byte[] key, String field, String normalised) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256", PROVIDER);
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(field.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        byte[] digest = mac.doFinal(normalised.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

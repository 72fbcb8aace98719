package org.panacea.security.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.crypto.AEADBadTagException;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import org.panacea.security.internal.KeyRingRepository.Header;
import org.panacea.security.internal.KeyRingRepository.KeyRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The installation's keys, shared by every node through the security database: the key-encryption keys (one AES-256
 * key per version), the blind-index key and the shared secrets of other bundles. Each is stored only wrapped under a
 * key derived from the key-store passphrase ({@link KeyRingCipher}), so a node needs the database and the passphrase,
 * nothing else, and the database alone opens nothing.
 * <p>
 * The first node to start on an empty database makes the ring (or imports the key store file of an earlier version);
 * when two start at once, the ring's header row settles which one made it and the other uses that one. Versions are
 * read from the database when asked for, and a key version made on another node is loaded when first needed, so
 * {@code key:rotate} on one node takes effect on all without a restart. Registered as a bundle-private service by
 * {@link KeyStoreUnlocker} once unlocked. Thread-safe.
 */
public final class KeyEncryptionKeys {

    static final String KEK = "kek";
    static final String KEK_ALGORITHM = "AES";
    static final String BLIND_INDEX = "blind-index";
    static final String BLIND_INDEX_ALGORITHM = "HmacSHA256";
    static final String SECRET_PREFIX = "secret:";
    static final String SECRET_ALGORITHM = "SECRET";
    static final String PASSPHRASE_SOURCES = "Every node needs the passphrase the keys were made with; it comes from "
            + "the environment variable " + KeyStorePassphrase.ENVIRONMENT_VARIABLE + ", else .keystore.passphrase "
            + "in etc/org.panacea.security.cfg, else the passphrase file";

    private static final Logger LOG = LoggerFactory.getLogger(KeyEncryptionKeys.class);
    private static final Pattern SECRET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,47}");
    /** Concurrent rotations on several nodes each get a version of their own; this bounds the retries. */
    private static final int INSERT_ATTEMPTS = 10;

    private final KeyRingRepository repository;
    private final KeyRingCipher cipher;
    private final Provider provider;
    private final SecretKey blindIndexKey;
    private final Map<Integer, SecretKey> keks = new ConcurrentHashMap<>();
    private final Map<String, byte[]> secrets = new ConcurrentHashMap<>();

    private KeyEncryptionKeys(KeyRingRepository repository, KeyRingCipher cipher, Provider provider)
            throws KeyStoreUnavailableException {
        this.repository = repository;
        this.cipher = cipher;
        this.provider = provider;
        this.blindIndexKey = new SecretKeySpec(open(BLIND_INDEX, 1, BLIND_INDEX_ALGORITHM), BLIND_INDEX_ALGORITHM);
    }

    /** As {@link #open(DataSource, char[], Provider, Path, int)} with no file to import and the default derivation. */
    static KeyEncryptionKeys open(DataSource dataSource, char[] passphrase, Provider provider)
            throws KeyStoreUnavailableException {
        return open(dataSource, passphrase, provider, null, KeyRingCipher.DEFAULT_ITERATIONS);
    }

    /**
     * Opens the ring in {@code dataSource} with {@code passphrase}, first making it when the database has none: from
     * the keys of {@code legacyStore} when that file exists, else new ones. A {@code legacyStore} found beside an
     * existing ring is merged into it (its keys must be the ring's, or be missing from it) and then renamed.
     *
     * @param legacyStore the BCFKS file of an earlier version, or {@code null}
     * @param iterations  PBKDF2 iterations for a ring made now (an existing ring states its own)
     * @throws KeyStoreUnavailableException with a message for the log when the passphrase is wrong, a key row was
     *                                      altered, the database cannot be used, or the file's keys are not the ring's
     */
    static KeyEncryptionKeys open(DataSource dataSource, char[] passphrase, Provider provider, Path legacyStore,
            int iterations) throws KeyStoreUnavailableException {
        KeyRingRepository repository = new KeyRingRepository(dataSource);
        boolean legacy = legacyStore != null && Files.exists(legacyStore);
        try {
            repository.createSchemaIfMissing();
            Optional<Header> header = repository.header();
            if (header.isEmpty()) {
                List<LegacyKeyStore.Entry> entries = legacy ? LegacyKeyStore.read(legacyStore, passphrase, provider)
                        : newKeys(repository, legacyStore, provider);
                Optional<KeyRingCipher> made = create(repository, passphrase, provider, iterations, entries);
                if (made.isPresent()) {
                    LOG.info(legacy ? "Imported the keys of " + legacyStore + " into the security database"
                            : "Made the installation's keys in the security database");
                    if (legacy) {
                        LegacyKeyStore.markImported(legacyStore);
                    }
                    return new KeyEncryptionKeys(repository, made.get(), provider);
                }
                // Another node made the ring meanwhile: use that one, like any later node.
                header = repository.header();
            }
            KeyRingCipher cipher = unlock(header.orElseThrow(), passphrase, provider);
            KeyEncryptionKeys keys = new KeyEncryptionKeys(repository, cipher, provider);
            if (legacy) {
                keys.merge(LegacyKeyStore.read(legacyStore, passphrase, provider), legacyStore);
                LegacyKeyStore.markImported(legacyStore);
            }
            if (keys.versions().isEmpty()) {
                throw new KeyStoreUnavailableException("The security database holds no key-encryption key", null);
            }
            return keys;
        } catch (SQLException e) {
            throw new KeyStoreUnavailableException("The keys in the security database cannot be read: "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new KeyStoreUnavailableException("The keys in the security database cannot be used: "
                    + e.getMessage(), e);
        }
    }

    /** A first key-encryption key and the blind-index key, unless the database shows data made under others. */
    private static List<LegacyKeyStore.Entry> newKeys(KeyRingRepository repository, Path legacyStore,
            Provider provider) throws SQLException, GeneralSecurityException, KeyStoreUnavailableException {
        if (repository.dataKeysExist()) {
            // New keys would make every value stored so far unreadable, for good once they were stored.
            throw new KeyStoreUnavailableException("The security database holds data keys but no key-encryption keys:"
                    + " they are in the key store file of the earlier version, which was not found"
                    + (legacyStore == null ? "" : " at " + legacyStore) + ". Put the file back (or point "
                    + "keystore.path in etc/org.panacea.security.cfg at it) so it is imported", null);
        }
        Instant now = Instant.now();
        return List.of(new LegacyKeyStore.Entry(BLIND_INDEX, 1, BLIND_INDEX_ALGORITHM,
                        generate(provider, BLIND_INDEX_ALGORITHM), now),
                new LegacyKeyStore.Entry(KEK, 1, KEK_ALGORITHM, generate(provider, KEK_ALGORITHM), now));
    }

    /** Stores a new ring; empty when another node stored one first. */
    private static Optional<KeyRingCipher> create(KeyRingRepository repository, char[] passphrase, Provider provider,
            int iterations, List<LegacyKeyStore.Entry> entries) throws GeneralSecurityException, SQLException {
        byte[] salt = new byte[KeyRingCipher.SALT_BYTES];
        SecureRandom.getInstance("DEFAULT", provider).nextBytes(salt);
        String kdf = KeyRingCipher.PBKDF2_SHA512;
        KeyRingCipher cipher = KeyRingCipher.derive(passphrase, kdf, iterations, salt, provider);
        Instant now = Instant.now();
        Header header = new Header(kdf, iterations, salt, cipher.checkValue(kdf, iterations, salt), now);
        List<KeyRow> rows = new ArrayList<>();
        for (LegacyKeyStore.Entry entry : entries) {
            rows.add(new KeyRow(entry.name(), entry.version(), entry.algorithm(),
                    cipher.wrap(entry.name(), entry.version(), entry.algorithm(), entry.key()), entry.created()));
        }
        return repository.initialize(header, rows) ? Optional.of(cipher) : Optional.empty();
    }

    private static KeyRingCipher unlock(Header header, char[] passphrase, Provider provider)
            throws KeyStoreUnavailableException {
        KeyRingCipher cipher;
        try {
            cipher = KeyRingCipher.derive(passphrase, header.kdf(), header.iterations(), header.salt(), provider);
        } catch (GeneralSecurityException e) {
            throw new KeyStoreUnavailableException("The key ring in the security database cannot be used: "
                    + e.getMessage(), e);
        }
        if (!cipher.opens(header.check(), header.kdf(), header.iterations(), header.salt())) {
            throw new KeyStoreUnavailableException("The keys in the security database could not be opened: wrong "
                    + "passphrase (or the key ring's header row in " + KeyRingRepository.RING_TABLE + " was altered). "
                    + PASSPHRASE_SOURCES + ".", null);
        }
        return cipher;
    }

    /** Adds the file's keys the ring lacks; refuses a file whose keys differ from the ring's. */
    private void merge(List<LegacyKeyStore.Entry> entries, Path file)
            throws KeyStoreUnavailableException, SQLException, GeneralSecurityException {
        int added = 0;
        for (LegacyKeyStore.Entry entry : entries) {
            Optional<KeyRow> stored = repository.key(entry.name(), entry.version());
            if (stored.isEmpty() && repository.insertIfAbsent(new KeyRow(entry.name(), entry.version(),
                    entry.algorithm(), cipher.wrap(entry.name(), entry.version(), entry.algorithm(), entry.key()),
                    entry.created()))) {
                added++;
                continue;
            }
            byte[] ring = open(entry.name(), entry.version(), entry.algorithm());
            if (!MessageDigest.isEqual(ring, entry.key())) {
                throw new KeyStoreUnavailableException("The key store file " + file + " holds " + entry.name()
                        + " version " + entry.version() + ", which differs from that key in the security database:"
                        + " this node's file is not of this installation. Move the file away (after checking which "
                        + "keys sealed this installation's data) and start again", null);
            }
        }
        LOG.info("The key store file {} matches the keys in the security database ({} added from it)", file, added);
    }

    private static byte[] generate(Provider provider, String algorithm) throws GeneralSecurityException {
        KeyGenerator generator = KeyGenerator.getInstance(algorithm, provider);
        generator.init(256);
        return generator.generateKey().getEncoded();
    }

    /** Unwraps one row, naming it when it does not open. */
    private byte[] open(String name, int version, String algorithm) throws KeyStoreUnavailableException {
        KeyRow row;
        try {
            row = repository.key(name, version).orElseThrow(() -> new KeyStoreUnavailableException(
                    "The security database has no key " + name + " version " + version, null));
        } catch (SQLException e) {
            throw new KeyStoreUnavailableException("Key " + name + " version " + version + " cannot be read from the "
                    + "security database: " + e.getMessage(), e);
        }
        if (!algorithm.equals(row.algorithm())) {
            throw new KeyStoreUnavailableException("Key " + name + " version " + version + " in the security database "
                    + "is marked " + row.algorithm() + ", not " + algorithm + ": the row was altered", null);
        }
        try {
            return cipher.unwrap(name, version, algorithm, row.wrapped());
        } catch (AEADBadTagException e) {
            throw new KeyStoreUnavailableException("Key " + name + " version " + version + " in the security database "
                    + "fails its integrity check: the row was altered or copied from another key. Restore "
                    + KeyRingRepository.KEY_TABLE + " from a backup", e);
        } catch (GeneralSecurityException e) {
            throw new KeyStoreUnavailableException("Key " + name + " version " + version + " cannot be unwrapped: "
                    + e.getMessage(), e);
        }
    }

    /** Key versions and when each was made, oldest first, as the database has them now. */
    NavigableMap<Integer, Instant> versions() throws KeyStoreUnavailableException {
        try {
            return repository.versions(KEK);
        } catch (SQLException e) {
            throw new KeyStoreUnavailableException("Key versions cannot be read from the security database: "
                    + e.getMessage(), e);
        }
    }

    /** The newest key version, as the database has it now (another node may have made it). */
    int activeVersion() throws KeyStoreUnavailableException {
        try {
            int newest = repository.newestVersion(KEK);
            if (newest < 1) {
                throw new KeyStoreUnavailableException("The security database holds no key-encryption key", null);
            }
            return newest;
        } catch (SQLException e) {
            throw new KeyStoreUnavailableException("Key versions cannot be read from the security database: "
                    + e.getMessage(), e);
        }
    }

    /** Key version {@code version}, loaded from the database the first time it is needed. */
    SecretKey kek(int version) throws KeyStoreUnavailableException {
        SecretKey known = keks.get(version);
        if (known != null) {
            return known;
        }
        SecretKey loaded = new SecretKeySpec(open(KEK, version, KEK_ALGORITHM), KEK_ALGORITHM);
        keks.putIfAbsent(version, loaded);
        return keks.get(version);
    }

    SecretKey blindIndexKey() {
        return blindIndexKey;
    }

    /**
     * Makes and stores a new key version; it becomes the active one on every node. Concurrent rotations on several
     * nodes each get a version of their own.
     */
    int addVersion() throws KeyStoreUnavailableException {
        try {
            for (int attempt = 0; attempt < INSERT_ATTEMPTS; attempt++) {
                int next = repository.newestVersion(KEK) + 1;
                byte[] key = generate(provider, KEK_ALGORITHM);
                if (repository.insertIfAbsent(new KeyRow(KEK, next, KEK_ALGORITHM,
                        cipher.wrap(KEK, next, KEK_ALGORITHM, key), Instant.now()))) {
                    keks.put(next, new SecretKeySpec(key, KEK_ALGORITHM));
                    return next;
                }
            }
            throw new KeyStoreUnavailableException("No new key version could be stored: other nodes kept taking the "
                    + "next number; try again", null);
        } catch (SQLException | GeneralSecurityException e) {
            throw new KeyStoreUnavailableException("A new key version could not be stored in the security database: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The shared secret called {@code name} (see {@link org.panacea.api.security.SharedSecrets}): stored on first
     * use, from {@code existing} when it gives bytes, else random; when nodes race, the first stored wins.
     */
    byte[] secret(String name, int length, Supplier<byte[]> existing) throws KeyStoreUnavailableException {
        if (name == null || !SECRET_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a secret's name is 1 to 48 lower-case letters, digits, '.' and '-'");
        }
        if (length < 16 || length > 64) {
            throw new IllegalArgumentException("a new secret has 16 to 64 bytes, not " + length);
        }
        byte[] known = secrets.get(name);
        if (known != null) {
            return known.clone();
        }
        String row = SECRET_PREFIX + name;
        try {
            if (repository.key(row, 1).isEmpty()) {
                byte[] adopted = existing == null ? null : existing.get();
                if (adopted != null && (adopted.length < 16 || adopted.length > 256)) {
                    throw new IllegalArgumentException("an adopted secret has 16 to 256 bytes, not " + adopted.length);
                }
                byte[] value = adopted != null ? adopted.clone() : random(length);
                try {
                    if (repository.insertIfAbsent(new KeyRow(row, 1, SECRET_ALGORITHM,
                            cipher.wrap(row, 1, SECRET_ALGORITHM, value), Instant.now()))) {
                        LOG.info(adopted != null ? "Shared secret '{}' adopted from this node's former copy"
                                : "Shared secret '{}' made", name);
                    }
                } finally {
                    Arrays.fill(value, (byte) 0);
                }
            }
        } catch (SQLException | GeneralSecurityException e) {
            throw new KeyStoreUnavailableException("Shared secret '" + name + "' cannot be stored in the security "
                    + "database: " + e.getMessage(), e);
        }
        // Read back rather than trust this node's value: another node may have stored its own first.
        byte[] stored = open(row, 1, SECRET_ALGORITHM);
        secrets.putIfAbsent(name, stored);
        return secrets.get(name).clone();
    }

    private byte[] random(int length) throws GeneralSecurityException {
        byte[] bytes = new byte[length];
        SecureRandom.getInstance("DEFAULT", provider).nextBytes(bytes);
        return bytes;
    }
}

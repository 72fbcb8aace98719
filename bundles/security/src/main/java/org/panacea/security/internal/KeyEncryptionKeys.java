package org.panacea.security.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.time.Instant;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * The key-encryption keys (one AES-256 key per version, aliases {@code kek-1}, {@code kek-2}, ...) and the
 * blind-index key, kept in a BCFKS key store file protected by a passphrase. The file is replaced atomically on
 * every change, so a crash leaves either the old or the new store, never half of one. Registered as a bundle-private
 * service by {@link KeyStoreUnlocker} once unlocked.
 */
public final class KeyEncryptionKeys {

    static final String STORE_TYPE = "BCFKS";
    private static final String KEK_PREFIX = "kek-";
    private static final String INDEX_ALIAS = "blind-index-1";

    private final Path path;
    private final char[] passphrase;
    private final Provider provider;
    private final KeyStore store;
    private final NavigableMap<Integer, Instant> versions = new TreeMap<>();

    private KeyEncryptionKeys(Path path, char[] passphrase, Provider provider, KeyStore store) {
        this.path = path;
        this.passphrase = passphrase.clone();
        this.provider = provider;
        this.store = store;
    }

    /** Opens the store at {@code path}, or creates it with a first key version and a blind-index key. */
    static KeyEncryptionKeys openOrCreate(Path path, char[] passphrase, Provider provider)
            throws KeyStoreUnavailableException {
        try {
            KeyStore store = KeyStore.getInstance(STORE_TYPE, provider);
            KeyEncryptionKeys keys = new KeyEncryptionKeys(path, passphrase, provider, store);
            if (Files.exists(path)) {
                try (InputStream in = Files.newInputStream(path)) {
                    store.load(in, passphrase);
                } catch (IOException e) {
                    throw new KeyStoreUnavailableException("Key store " + path + " could not be opened: "
                            + (String.valueOf(e.getMessage()).contains("MAC") ? "wrong passphrase" : e.getMessage())
                            + ". The passphrase comes from the environment variable PANACEA_KEYSTORE_PASSPHRASE, "
                            + "else keystore.passphrase in etc/org.panacea.security.cfg, else the passphrase file.", e);
                }
                keys.loadVersions();
            } else {
                store.load(null, null);
                keys.generate(INDEX_ALIAS, "HmacSHA256", 256);
                keys.generate(KEK_PREFIX + 1, "AES", 256);
                keys.save();
                keys.loadVersions();
            }
            if (keys.versions.isEmpty() || !store.containsAlias(INDEX_ALIAS)) {
                throw new KeyStoreUnavailableException("Key store " + path + " holds no Panacea keys", null);
            }
            return keys;
        } catch (GeneralSecurityException | IOException e) {
            throw new KeyStoreUnavailableException("Key store " + path + " could not be used: " + e.getMessage(), e);
        }
    }

    private void loadVersions() throws GeneralSecurityException {
        versions.clear();
        for (String alias : Collections.list(store.aliases())) {
            if (alias.startsWith(KEK_PREFIX)) {
                versions.put(Integer.parseInt(alias.substring(KEK_PREFIX.length())),
                        store.getCreationDate(alias).toInstant());
            }
        }
    }

    private void generate(String alias, String algorithm, int bits) throws GeneralSecurityException {
        KeyGenerator generator = KeyGenerator.getInstance(algorithm, provider);
        generator.init(bits);
        store.setEntry(alias, new KeyStore.SecretKeyEntry(generator.generateKey()),
                new KeyStore.PasswordProtection(passphrase));
    }

    private void save() throws IOException, GeneralSecurityException {
        Path directory = path.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, ".panacea-keys", ".tmp");
        try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the folder's ACL protects it
        }
        try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
            store.store(out, passphrase);
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Key versions and when each was made, oldest first. */
    synchronized NavigableMap<Integer, Instant> versions() {
        return Collections.unmodifiableNavigableMap(new TreeMap<>(versions));
    }

    synchronized int activeVersion() {
        return versions.lastKey();
    }

    synchronized SecretKey kek(int version) throws KeyStoreUnavailableException {
        return (SecretKey) entry(KEK_PREFIX + version);
    }

    synchronized SecretKey blindIndexKey() throws KeyStoreUnavailableException {
        return (SecretKey) entry(INDEX_ALIAS);
    }

    private java.security.Key entry(String alias) throws KeyStoreUnavailableException {
        try {
            java.security.Key key = store.getKey(alias, passphrase);
            if (key == null) {
                throw new KeyStoreUnavailableException("Key store " + path + " has no key " + alias, null);
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new KeyStoreUnavailableException("Key " + alias + " in " + path + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    private void forget(String alias) {
        try {
            store.deleteEntry(alias);
        } catch (java.security.KeyStoreException e) {
            // the entry was never added: nothing to undo
        }
    }

    /** Makes and stores a new key version; it becomes the active one. */
    synchronized int addVersion() throws KeyStoreUnavailableException {
        int next = versions.lastKey() + 1;
        try {
            generate(KEK_PREFIX + next, "AES", 256);
            save();
            loadVersions();
            return next;
        } catch (GeneralSecurityException | IOException e) {
            forget(KEK_PREFIX + next);
            throw new KeyStoreUnavailableException("Key version " + next + " could not be stored in " + path + ": "
                    + e.getMessage(), e);
        }
    }
}

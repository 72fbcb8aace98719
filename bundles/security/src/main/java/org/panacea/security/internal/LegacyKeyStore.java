package org.panacea.security.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BCFKS key store file of earlier versions ({@code etc/panacea-keys.bcfks}: aliases {@code kek-1},
 * {@code kek-2}, ... and {@code blind-index-1}), read once so its keys move into the security database. Afterwards
 * it is renamed {@code *.imported} and never read again; it stays as a copy until the administrator deletes it.
 */
final class LegacyKeyStore {

    /** One key of the file, under the name and version it gets in the ring. */
    record Entry(String name, int version, String algorithm, byte[] key, Instant created) {
    }

    static final String IMPORTED_SUFFIX = ".imported";

    private static final Logger LOG = LoggerFactory.getLogger(LegacyKeyStore.class);
    private static final String KEK_PREFIX = "kek-";
    private static final String INDEX_ALIAS = "blind-index-1";

    private LegacyKeyStore() {
    }

    /**
     * Every Panacea key in the file.
     *
     * @throws KeyStoreUnavailableException when the file cannot be opened (a wrong passphrase is named as such)
     */
    static List<Entry> read(Path path, char[] passphrase, Provider provider) throws KeyStoreUnavailableException {
        try {
            KeyStore store = KeyStore.getInstance("BCFKS", provider);
            try (InputStream in = Files.newInputStream(path)) {
                store.load(in, passphrase);
            } catch (IOException e) {
                throw new KeyStoreUnavailableException("The key store file " + path + " of the earlier version, "
                        + "which is to be imported into the security database, could not be opened: "
                        + (String.valueOf(e.getMessage()).contains("MAC") ? "wrong passphrase" : e.getMessage())
                        + ". " + KeyEncryptionKeys.PASSPHRASE_SOURCES, e);
            }
            List<Entry> entries = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                Instant created = store.getCreationDate(alias).toInstant();
                if (alias.startsWith(KEK_PREFIX)) {
                    entries.add(new Entry(KeyEncryptionKeys.KEK, Integer.parseInt(alias.substring(KEK_PREFIX.length())),
                            KeyEncryptionKeys.KEK_ALGORITHM, key(store, alias, passphrase), created));
                } else if (alias.equals(INDEX_ALIAS)) {
                    entries.add(new Entry(KeyEncryptionKeys.BLIND_INDEX, 1, KeyEncryptionKeys.BLIND_INDEX_ALGORITHM,
                            key(store, alias, passphrase), created));
                }
            }
            if (entries.stream().noneMatch(e -> e.name().equals(KeyEncryptionKeys.KEK))
                    || entries.stream().noneMatch(e -> e.name().equals(KeyEncryptionKeys.BLIND_INDEX))) {
                throw new KeyStoreUnavailableException("The key store file " + path + " holds no Panacea keys", null);
            }
            return entries;
        } catch (GeneralSecurityException | NumberFormatException e) {
            throw new KeyStoreUnavailableException("The key store file " + path + " could not be read: "
                    + e.getMessage(), e);
        }
    }

    private static byte[] key(KeyStore store, String alias, char[] passphrase) throws GeneralSecurityException {
        Key key = store.getKey(alias, passphrase);
        if (key == null || key.getEncoded() == null) {
            throw new GeneralSecurityException("key " + alias + " cannot be read");
        }
        return key.getEncoded();
    }

    /** Renames the file once its keys are in the database, so it is not read again; a failure only warns. */
    static void markImported(Path path) {
        Path imported = path.resolveSibling(path.getFileName() + IMPORTED_SUFFIX);
        try {
            Files.move(path, imported, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("The keys of {} are in the security database now and are used from there; the file is kept as "
                    + "{} and no longer read. Delete it once the database's backup holds the keys", path, imported);
        } catch (IOException e) {
            LOG.warn("The keys of {} are in the security database now, but the file could not be renamed to {} ({}):"
                    + " it is compared with the database at every start until it is moved away", path, imported,
                    e.getMessage());
        }
    }
}

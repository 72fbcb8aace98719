package org.panacea.audit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

import org.panacea.api.audit.AuditException;
import org.panacea.api.security.SharedSecrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret key of the checkpoint, head and anchor seals. Every node of an installation needs the same one (each
 * verifies the seals and anchors the others made), so it comes from the security bundle's {@link SharedSecrets}:
 * stored in the security database wrapped under the key-store passphrase, so that write access to the audit
 * database, or to the security database, is not enough to forge a seal. Earlier versions kept it per node in a file
 * (one line of Base64, {@code etc/panacea-audit.key}); such a file is adopted once as the shared key and then set
 * aside. Tests still use a key file of their own ({@link #loadOrCreate}).
 */
final class AuditKeyFile {

    static final int KEY_BYTES = 32;
    /** The audit key's name among the shared secrets. */
    static final String SHARED_NAME = "audit.seal";
    static final String IMPORTED_SUFFIX = ".imported";

    private static final Logger LOG = LoggerFactory.getLogger(AuditKeyFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private AuditKeyFile() {
    }

    /**
     * The installation's audit key from the shared store. When the store has none yet, this node's key file of an
     * earlier version ({@code formerFile}), if any, becomes the shared key, so the seals made under it still verify;
     * else a new key is made. A former file holding the shared key is then renamed {@code *.imported} and not read
     * again.
     *
     * @throws AuditException when the shared store cannot give the key, or the former file cannot be read
     */
    static byte[] shared(SharedSecrets secrets, Path formerFile) {
        byte[] key;
        try {
            key = secrets.secret(SHARED_NAME, KEY_BYTES, () -> readFormer(formerFile));
        } catch (UncheckedIOException e) {
            throw new AuditException("Cannot import the audit key file " + formerFile + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new AuditException("Cannot get the audit key from the shared key store: " + e.getMessage(), e);
        }
        setAside(formerFile, key);
        return key;
    }

    private static byte[] readFormer(Path file) {
        if (Files.notExists(file)) {
            return null;
        }
        try {
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Renames a former key file once the shared store holds its key; warns when it holds another key. */
    private static void setAside(Path file, byte[] sharedKey) {
        if (Files.notExists(file)) {
            return;
        }
        byte[] former;
        try {
            former = read(file);
        } catch (IOException e) {
            LOG.warn("The former audit key file {} is no longer used and cannot be read ({}); delete it", file,
                    e.getMessage());
            return;
        }
        if (!MessageDigest.isEqual(former, sharedKey)) {
            LOG.warn("The former audit key file {} holds another key than the installation's shared audit key (another"
                    + " node's key was adopted first): seals and anchor lines this node made with it before do not "
                    + "verify under the shared key. The file is left in place to check those; delete it afterwards",
                    file);
            return;
        }
        Path imported = file.resolveSibling(file.getFileName() + IMPORTED_SUFFIX);
        try {
            Files.move(file, imported, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("The audit key of {} is the installation's shared audit key now, kept in the security database;"
                    + " the file is kept as {} and no longer read. Delete it once the database's backup holds the key",
                    file, imported);
        } catch (IOException e) {
            LOG.warn("The audit key of {} is the installation's shared audit key now, but the file could not be renamed"
                    + " to {} ({}); it is no longer read: delete it", file, imported, e.getMessage());
        }
    }

    /**
     * The key stored in {@code path}, after creating the file with a new random key when it does not exist: a key of
     * one node's own, as earlier versions kept it (the trail's tests still use one).
     *
     * @throws IOException when the file cannot be read or written, or does not hold at least {@value #KEY_BYTES} bytes
     */
    static byte[] loadOrCreate(Path path) throws IOException {
        if (Files.notExists(path)) {
            create(path);
        }
        warnIfOthersCanRead(path);
        return read(path);
    }

    private static byte[] read(Path path) throws IOException {
        String text = Files.readString(path, StandardCharsets.US_ASCII).strip();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("The audit key file " + path + " is not one line of Base64", e);
        }
        if (key.length < KEY_BYTES) {
            throw new IOException("The audit key file " + path + " holds " + key.length + " bytes, at least "
                    + KEY_BYTES + " are needed");
        }
        return key;
    }

    private static void create(Path path) throws IOException {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Path absolute = path.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        // Write a private temporary file and rename it, so that the key never exists half-written or world-readable.
        Path temporary = Files.createTempFile(absolute.getParent(), ".panacea-audit", ".key");
        try {
            restrictToOwner(temporary);
            Files.writeString(temporary, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        LOG.info("Created the audit key file {}; back it up apart from the database: without it the checkpoints"
                + " cannot be verified", absolute);
    }

    private static void restrictToOwner(Path file) throws IOException {
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        } else {
            // Not POSIX (Windows): the java.io calls are the portable way to drop access for everyone but the owner.
            java.io.File plain = file.toFile();
            boolean restricted = plain.setReadable(false, false) & plain.setReadable(true, true)
                    & plain.setWritable(false, false) & plain.setWritable(true, true);
            if (!restricted) {
                LOG.warn("Could not restrict {} to its owner; restrict it by hand", file);
            }
        }
    }

    private static void warnIfOthersCanRead(Path path) throws IOException {
        if (Files.getFileAttributeView(path, PosixFileAttributeView.class) == null) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        if (!OWNER_ONLY.containsAll(permissions)) {
            LOG.warn("The audit key file {} has permissions {}; anyone who reads it can forge checkpoints."
                    + " Make it rw------- (chmod 600)", path, PosixFilePermissions.toString(permissions));
        }
    }
}

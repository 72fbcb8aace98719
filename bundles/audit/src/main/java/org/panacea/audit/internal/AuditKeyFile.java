package org.panacea.audit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret key of the checkpoint seals, kept in a file outside the database (one line of Base64) so that write
 * access to the database alone is not enough to forge a seal. Created on first use with 32 bytes from
 * {@link SecureRandom}, readable by its owner only.
 */
final class AuditKeyFile {

    static final int KEY_BYTES = 32;

    private static final Logger LOG = LoggerFactory.getLogger(AuditKeyFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private AuditKeyFile() {
    }

    /**
     * The key stored in {@code path}, after creating the file with a new random key when it does not exist.
     *
     * @throws IOException when the file cannot be read or written, or does not hold at least {@value #KEY_BYTES} bytes
     */
    static byte[] loadOrCreate(Path path) throws IOException {
        if (Files.notExists(path)) {
            create(path);
        }
        warnIfOthersCanRead(path);
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

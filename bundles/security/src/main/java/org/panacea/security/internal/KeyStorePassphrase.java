package org.panacea.security.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the key store's passphrase comes from, first match wins: the environment variable
 * {@value #ENVIRONMENT_VARIABLE}, the configuration, the passphrase file. On the first start of an installation with
 * none of them the file is created with a random passphrase, so the demo starts without set-up; production sets the
 * variable. Every node of an installation needs the same passphrase: the keys in the security database are wrapped
 * under it.
 */
final class KeyStorePassphrase {

    static final String ENVIRONMENT_VARIABLE = "PANACEA_KEYSTORE_PASSPHRASE";

    private static final Logger LOG = LoggerFactory.getLogger(KeyStorePassphrase.class);

    private KeyStorePassphrase() {
    }

    /**
     * @param storeExists whether keys exist already (in the security database or a key store file): then no
     *                    passphrase is ever made up
     */
    static char[] resolve(String fromEnvironment, String fromConfiguration, Path file, boolean storeExists)
            throws KeyStoreUnavailableException {
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment.toCharArray();
        }
        if (fromConfiguration != null && !fromConfiguration.isEmpty()) {
            return fromConfiguration.toCharArray();
        }
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip().toCharArray();
            }
            if (storeExists) {
                throw new KeyStoreUnavailableException("The installation's keys exist (in the security database or "
                        + "the key store file) but no passphrase is given: set " + ENVIRONMENT_VARIABLE + " to the "
                        + "passphrase they were made with (every node shares it)", null);
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String passphrase = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, passphrase + System.lineSeparator(), StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the folder's ACL protects it
            }
            LOG.warn("No key store passphrase configured: generated one in {}. For production, set {} instead and "
                    + "keep the passphrase away from the server's disk", file, ENVIRONMENT_VARIABLE);
            return passphrase.toCharArray();
        } catch (IOException e) {
            throw new KeyStoreUnavailableException("Passphrase file " + file + " cannot be read or written: "
                    + e.getMessage(), e);
        }
    }
}

package org.panacea.security.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The folder of vendor certificates a hospital trusts ({@code etc/trusted-vendors}), as named entries an
 * administrator adds and removes: each file {@code <alias>.pem} (or {@code .crt}, {@code .cer}) is one vendor,
 * known by its alias. Adding checks that the file holds X.509 certificates that are valid now and not trusted yet,
 * and writes them as PEM under the alias in one atomic step, so the gate never reads a half-written file.
 */
public final class TrustedVendorFolder {

    /** Letters, digits, '.', '_' and '-': a file name on every system, and a word in the console. */
    private static final String ALIAS = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    private static final String[] EXTENSIONS = { ".pem", ".crt", ".cer" };

    /**
     * One trusted vendor.
     *
     * @param alias        the name it is trusted under (its file name without extension)
     * @param file         the certificate file
     * @param certificates the certificates in it (a vendor's own, or a CA that issues the vendor's)
     */
    public record TrustedVendor(String alias, Path file, List<X509Certificate> certificates) {

        public TrustedVendor {
            certificates = List.copyOf(certificates);
        }

        /** The subject of the first certificate. */
        public String subject() {
            return certificates.get(0).getSubjectX500Principal().getName();
        }

        /** The SHA-256 fingerprint of the first certificate, as the hospital compares it with the vendor. */
        public String fingerprint() {
            return TrustedVendorFolder.fingerprint(certificates.get(0));
        }

        /** When the first certificate expires. */
        public Instant notAfter() {
            return certificates.get(0).getNotAfter().toInstant();
        }

        /** The certificates in PEM, as they are written to the folder and shared with the other nodes. */
        public String pem() {
            return TrustedVendorFolder.pem(certificates);
        }
    }

    private final Path folder;

    public TrustedVendorFolder(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /** Every readable certificate file, by alias; unreadable ones are left out (the gate logs them). */
    public List<TrustedVendor> vendors() {
        List<TrustedVendor> vendors = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return vendors;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.{pem,crt,cer}")) {
            for (Path file : files) {
                try {
                    vendors.add(new TrustedVendor(alias(file), file, read(file)));
                } catch (IllegalArgumentException unreadable) {
                    // not a certificate file: the gate ignores it too
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("trusted vendor folder " + folder + " cannot be listed", e);
        }
        vendors.sort(Comparator.comparing(TrustedVendor::alias));
        return vendors;
    }

    /**
     * Trusts the certificates in {@code certificateFile} (PEM or DER) under {@code alias}.
     *
     * @throws IllegalArgumentException when the alias is malformed or taken, the file holds no certificate, a
     *                                  certificate is expired or not yet valid, or it is trusted already
     */
    public TrustedVendor add(Path certificateFile, String alias) {
        requireAlias(alias);
        if (!Files.isRegularFile(certificateFile)) {
            throw new IllegalArgumentException("no file " + certificateFile);
        }
        List<X509Certificate> certificates = read(certificateFile);
        for (X509Certificate certificate : certificates) {
            try {
                certificate.checkValidity();
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                throw new IllegalArgumentException("certificate " + certificate.getSubjectX500Principal().getName()
                        + " is not valid now (valid " + certificate.getNotBefore().toInstant() + " to "
                        + certificate.getNotAfter().toInstant() + ")");
            }
        }
        for (TrustedVendor existing : vendors()) {
            if (existing.alias().equalsIgnoreCase(alias)) {
                throw new IllegalArgumentException("alias " + alias + " is taken by " + existing.subject()
                        + "; choose another with --alias, or plugin:untrust " + existing.alias() + " first");
            }
            for (X509Certificate certificate : certificates) {
                if (existing.certificates().contains(certificate)) {
                    throw new IllegalArgumentException(certificate.getSubjectX500Principal().getName()
                            + " is trusted already, as " + existing.alias());
                }
            }
        }
        Path target = folder.resolve(alias + ".pem");
        write(target, alias, pem(certificates));
        return new TrustedVendor(alias, target, certificates);
    }

    /**
     * Stops trusting the vendor known as {@code alias}: deletes its certificate file.
     *
     * @throws IllegalArgumentException when no vendor has that alias (the message lists those that exist)
     */
    public TrustedVendor remove(String alias) {
        for (TrustedVendor vendor : vendors()) {
            if (vendor.alias().equals(alias)) {
                try {
                    Files.delete(vendor.file());
                } catch (IOException e) {
                    throw new UncheckedIOException("certificate file " + vendor.file() + " cannot be deleted", e);
                }
                return vendor;
            }
        }
        List<String> aliases = vendors().stream().map(TrustedVendor::alias).toList();
        throw new IllegalArgumentException("no trusted vendor " + alias + "; trusted: " + aliases);
    }

    /**
     * Makes {@code alias} trust exactly the certificates in {@code pem}, as another node's change of trust asks: writes
     * {@code <alias>.pem} in one atomic step and removes the alias's other files. Unlike {@link #add}, a vendor trusted
     * already is replaced, and an expired certificate is written as it is (the signature check refuses it later).
     *
     * @return {@code true} when the folder changed
     * @throws IllegalArgumentException when the alias is malformed or the PEM holds no certificate
     */
    public boolean put(String alias, String pem) {
        requireAlias(alias);
        List<X509Certificate> certificates;
        try {
            certificates = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                certificates.add((X509Certificate) certificate);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the certificates of " + alias + " cannot be read: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificate for " + alias);
        }
        String normalised = pem(certificates);
        Path target = folder.resolve(alias + ".pem");
        boolean changed = false;
        for (String extension : EXTENSIONS) {
            Path other = folder.resolve(alias + extension);
            if (!other.equals(target)) {
                changed |= deleteIfExists(other);
            }
        }
        try {
            if (Files.isRegularFile(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    && Files.readString(target, StandardCharsets.US_ASCII).equals(normalised)) {
                return changed;
            }
        } catch (IOException unreadable) {
            // replaced below
        }
        write(target, alias, normalised);
        return true;
    }

    /**
     * Stops trusting {@code alias} if it is trusted here, as another node's change of trust asks.
     *
     * @return {@code true} when a file was removed
     */
    public boolean delete(String alias) {
        requireAlias(alias);
        boolean changed = false;
        for (String extension : EXTENSIONS) {
            changed |= deleteIfExists(folder.resolve(alias + extension));
        }
        return changed;
    }

    private static void requireAlias(String alias) {
        if (alias == null || !alias.matches(ALIAS)) {
            throw new IllegalArgumentException("alias '" + alias + "' must be 1 to 64 letters, digits, '.', '_' or "
                    + "'-', starting with a letter or digit");
        }
    }

    private static boolean deleteIfExists(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("certificate file " + file + " cannot be deleted", e);
        }
    }

    private void write(Path target, String alias, String pem) {
        try {
            Files.createDirectories(folder);
            Path partial = Files.createTempFile(folder, alias + "-", ".partial");
            try {
                Files.writeString(partial, pem, StandardCharsets.US_ASCII);
                try {
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("certificate cannot be written to " + target, e);
        }
    }

    /** The alias a certificate file stands for: its name without the extension. */
    static String alias(Path file) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        for (String extension : EXTENSIONS) {
            if (lower.endsWith(extension)) {
                return name.substring(0, name.length() - extension.length());
            }
        }
        return name;
    }

    private static List<X509Certificate> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no X.509 certificate");
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " is not an X.509 certificate (PEM or DER): " + e.getMessage(),
                    e);
        }
    }

    static String pem(List<X509Certificate> certificates) {
        StringBuilder pem = new StringBuilder();
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (X509Certificate certificate : certificates) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n").append(base64.encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
            }
        }
        return pem.toString();
    }

    /** SHA-256 of the certificate's DER encoding, as colon-separated upper-case hex (keytool's format). */
    static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 of a certificate cannot be computed", e);
        }
    }
}

package org.panacea.security.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The vendor certificates the hospital trusts: every {@code *.pem}, {@code *.crt}, {@code *.cer} in one folder. */
final class TrustedVendorCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(TrustedVendorCertificates.class);

    private TrustedVendorCertificates() {
    }

    static List<X509Certificate> load(Path folder) {
        List<X509Certificate> trusted = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            LOG.warn("No trusted vendor certificates: folder {} does not exist, so no signed plugin will run", folder);
            return trusted;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.{pem,crt,cer}")) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Path file : files) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (Certificate certificate : factory.generateCertificates(in)) {
                        trusted.add((X509Certificate) certificate);
                    }
                } catch (IOException | GeneralSecurityException e) {
                    LOG.warn("Trusted vendor certificate {} cannot be read, ignored: {}", file, e.getMessage());
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            LOG.warn("Trusted vendor certificates in {} cannot be listed: {}", folder, e.getMessage());
        }
        LOG.info("{} trusted vendor certificate(s) from {}", trusted.size(), folder);
        return trusted;
    }
}

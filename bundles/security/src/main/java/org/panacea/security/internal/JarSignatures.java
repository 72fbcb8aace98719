package org.panacea.security.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.panacea.api.security.SignatureVerdict;

/**
 * Verifies that every entry of a JAR is signed, unaltered, and signed by a certificate that is trusted or issued by
 * a trusted one.
 */
final class JarSignatures {

    private final List<X509Certificate> trusted;

    JarSignatures(List<X509Certificate> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    SignatureVerdict verify(Path jar) throws IOException {
        String signer = "";
        byte[] buffer = new byte[8192];
        try (JarFile file = new JarFile(jar.toFile(), true)) {
            if (file.getManifest() == null) {
                return new SignatureVerdict(false, "", "not signed: the JAR has no manifest");
            }
            Enumeration<JarEntry> entries = file.entries();
            boolean anyContent = false;
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                // Reading an entry to its end is what makes the JDK check its digest against the signature.
                try (InputStream in = file.getInputStream(entry)) {
                    while (in.read(buffer) != -1) {
                        // drain
                    }
                } catch (SecurityException tampered) {
                    return new SignatureVerdict(false, signer, "tampered: entry " + entry.getName()
                            + " does not match its signature (" + tampered.getMessage() + ")"
                            + rewrittenManifestHint(file, entry));
                }
                if (entry.isDirectory() || isSignatureMetadata(entry.getName())) {
                    continue;
                }
                anyContent = true;
                CodeSigner[] signers = entry.getCodeSigners();
                if (signers == null || signers.length == 0) {
                    return new SignatureVerdict(false, signer, "not signed: entry " + entry.getName()
                            + " carries no signature");
                }
                X509Certificate trustedSigner = trustedSigner(signers);
                if (trustedSigner == null) {
                    X509Certificate first = (X509Certificate) signers[0].getSignerCertPath().getCertificates().get(0);
                    return new SignatureVerdict(false, first.getSubjectX500Principal().getName(),
                            "untrusted: signed by " + first.getSubjectX500Principal().getName()
                                    + ", which no certificate in the trusted vendor folder vouches for");
                }
                signer = trustedSigner.getSubjectX500Principal().getName();
            }
            if (!anyContent) {
                return new SignatureVerdict(false, "", "not signed: the JAR holds no content");
            }
            return new SignatureVerdict(true, signer, "signed by trusted vendor " + signer);
        } catch (SecurityException tampered) {
            return new SignatureVerdict(false, signer, "tampered: " + tampered.getMessage());
        }
    }

    /**
     * Karaf's {@code bundle:update ID URL} rewrites the manifest to add {@code Bundle-UpdateLocation} before the
     * framework gets the bytes, which breaks the vendor's signature of the manifest: say so, since the refusal
     * otherwise reads like an attack while the cure is {@code bundle:update --raw}.
     */
    private static String rewrittenManifestHint(JarFile file, JarEntry entry) {
        try {
            if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME) && file.getManifest().getMainAttributes()
                    .getValue("Bundle-UpdateLocation") != null) {
                return "; the manifest carries a Bundle-UpdateLocation header, which Karaf's bundle:update adds"
                        + " to the bytes it is given unless called with --raw";
            }
        } catch (IOException | SecurityException unreadable) {
            // No hint then: the refusal stands on its own.
        }
        return "";
    }

    private static boolean isSignatureMetadata(String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        return upper.equals("META-INF/MANIFEST.MF")
                || (upper.startsWith("META-INF/") && upper.indexOf('/', 9) < 0
                        && (upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA")
                                || upper.endsWith(".EC") || upper.startsWith("META-INF/SIG-")));
    }

    private X509Certificate trustedSigner(CodeSigner[] signers) {
        for (CodeSigner codeSigner : signers) {
            List<? extends Certificate> path = codeSigner.getSignerCertPath().getCertificates();
            X509Certificate leaf = (X509Certificate) path.get(0);
            for (X509Certificate anchor : trusted) {
                if (leaf.equals(anchor) || issuedBy(path, anchor)) {
                    return leaf;
                }
            }
        }
        return null;
    }

    /** The chain ends at {@code anchor}: its last certificate is the anchor or is signed by it. */
    private static boolean issuedBy(List<? extends Certificate> path, X509Certificate anchor) {
        // The JDK checked the signature with the leaf's key only; each link of the chain must hold too.
        for (int i = 0; i + 1 < path.size(); i++) {
            try {
                path.get(i).verify(path.get(i + 1).getPublicKey());
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
        for (Certificate certificate : path) {
            X509Certificate x509 = (X509Certificate) certificate;
            if (x509.equals(anchor)) {
                return true;
            }
        }
        X509Certificate last = (X509Certificate) path.get(path.size() - 1);
        if (!last.getIssuerX500Principal().equals(anchor.getSubjectX500Principal())) {
            return false;
        }
        try {
            last.verify(anchor.getPublicKey());
            last.checkValidity();
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}

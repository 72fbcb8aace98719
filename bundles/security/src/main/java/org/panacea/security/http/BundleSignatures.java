package org.panacea.security.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.panacea.api.security.PluginSignatureVerifier;
import org.panacea.api.security.SignatureVerdict;

/**
 * The signature verdict of an installed bundle's JAR, read from the location it was installed from and checked by
 * the same verifier the plugin gate uses. Cached per bundle revision (id and last-modified time), as the gate does,
 * so a page that lists the plugins does not re-read every JAR on every visit; an update gives a new revision.
 */
final class BundleSignatures {

    private final PluginSignatureVerifier verifier;
    private final Map<String, SignatureVerdict> verdicts = new ConcurrentHashMap<>();

    BundleSignatures(PluginSignatureVerifier verifier) {
        this.verifier = verifier;
    }

    SignatureVerdict of(Bundle bundle) {
        String revision = bundle.getBundleId() + "@" + bundle.getLastModified();
        return verdicts.computeIfAbsent(revision, r -> verify(bundle));
    }

    private SignatureVerdict verify(Bundle bundle) {
        Path copy = null;
        try (InputStream in = new URL(bundle.getLocation()).openStream()) {
            copy = Files.createTempFile("panacea-plugin-", ".jar");
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return verifier.verify(copy);
        } catch (IOException e) {
            return new SignatureVerdict(false, "", "its JAR cannot be read from " + bundle.getLocation() + ": "
                    + e.getMessage());
        } finally {
            deleteQuietly(copy);
        }
    }

    private static void deleteQuietly(Path copy) {
        if (copy == null) {
            return;
        }
        try {
            Files.deleteIfExists(copy);
        } catch (IOException e) {
            // a temporary file left behind is harmless; the next start of the JVM's temp cleanup removes it
        }
    }
}

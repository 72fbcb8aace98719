package org.panacea.api.security;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/** Checks that a plugin JAR is signed, untampered and from a vendor the hospital trusts ({@code etc/} trust store). */
@ProviderType
public interface PluginSignatureVerifier {

    /**
     * Verifies every entry of the JAR at {@code jar} against the trusted vendor certificates.
     *
     * @throws IOException when the file cannot be read as a JAR at all
     */
    SignatureVerdict verify(Path jar) throws IOException;
}

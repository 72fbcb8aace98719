package org.panacea.api.security;

import java.util.Objects;

/**
 * The result of checking a plugin JAR's signature.
 *
 * @param trusted {@code true} when every entry is signed by one certificate chain that ends at a trusted vendor
 * @param signer  the signer's subject when known, else empty
 * @param reason  why it is or is not trusted, in words an administrator can act on
 */
public record SignatureVerdict(boolean trusted, String signer, String reason) {

    public SignatureVerdict {
        signer = Objects.requireNonNullElse(signer, "");
        Objects.requireNonNull(reason, "reason");
    }
}

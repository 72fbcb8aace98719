package org.panacea.api.security;

import java.util.function.Supplier;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Secrets that every node of an installation shares, for core bundles that need a key of their own (the audit
 * trail's sealing key). The security bundle keeps them beside the key-encryption keys: in the security database,
 * each wrapped under the key derived from the key-store passphrase, so a node needs only the database and the
 * passphrase to have them, and the database alone does not reveal them. Plugins cannot see this service. Thread-safe.
 *
 * @since 2.1
 */
@ProviderType
public interface SharedSecrets {

    /**
     * The secret called {@code name}: the same bytes on every node, from the first call on any node on.
     * <p>
     * On an installation that has no secret of that name yet, {@code existing} is asked once for a secret this node
     * kept elsewhere until now (a key file of an earlier version), which is adopted so nothing sealed under it is
     * lost; when it gives none, a random secret of {@code length} bytes is made. When several nodes ask at once, one
     * secret is stored and every node gets that one.
     *
     * @param name     what the secret is for: 1 to 48 lower-case letters, digits, {@code '.'} and {@code '-'}
     *                 (e.g. {@code audit.seal}); names of other bundles' secrets are not guarded, choose your own
     * @param length   bytes of a new secret, 16 to 64
     * @param existing called only when the secret does not exist yet; returns the bytes to adopt (16 to 256), or
     *                 {@code null} for none
     * @return a copy of the secret, which the caller may clear after use
     * @throws IllegalArgumentException when {@code name} or {@code length} is out of range
     * @throws IllegalStateException    when the secret cannot be read or stored (the security database is
     *                                  unreachable, or its row was altered)
     */
    byte[] secret(String name, int length, Supplier<byte[]> existing);
}

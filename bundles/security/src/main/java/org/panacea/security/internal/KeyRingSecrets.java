package org.panacea.security.internal;

import java.util.function.Supplier;

import org.panacea.api.security.SharedSecrets;

/**
 * {@link SharedSecrets} over the shared key ring: each secret is a row of its own, wrapped under the passphrase's
 * key and bound to its name, in a namespace apart from the key-encryption and blind-index keys (which no caller of
 * this service can ask for). Registered by {@link KeyStoreUnlocker} beside the keys; hidden from plugins like every
 * platform service.
 */
final class KeyRingSecrets implements SharedSecrets {

    private final KeyEncryptionKeys keys;

    KeyRingSecrets(KeyEncryptionKeys keys) {
        this.keys = keys;
    }

    @Override
    public byte[] secret(String name, int length, Supplier<byte[]> existing) {
        try {
            return keys.secret(name, length, existing);
        } catch (KeyStoreUnavailableException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}

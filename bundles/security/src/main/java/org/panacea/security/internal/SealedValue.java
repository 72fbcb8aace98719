package org.panacea.security.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.FieldBinding;

/**
 * The byte layout of an encrypted value: {@code [format 1 byte][data key id 4 bytes][nonce 12 bytes][ciphertext
 * and 16-byte GCM tag]}. The header travels with the value, so a value names the data key that can open it.
 */
final class SealedValue {

    static final byte FORMAT = 1;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final int HEADER_BYTES = 1 + 4 + NONCE_BYTES;

    private SealedValue() {
    }

    /** The data key id of a sealed value, checking its header first. */
    static int dataKeyId(byte[] sealed) {
        if (sealed == null || sealed.length < HEADER_BYTES + TAG_BYTES) {
            throw new DecryptionException("encrypted value is too short to be one ("
                    + (sealed == null ? 0 : sealed.length) + " bytes)");
        }
        if (sealed[0] != FORMAT) {
            throw new DecryptionException("encrypted value has unknown format " + sealed[0]);
        }
        return ByteBuffer.wrap(sealed, 1, 4).getInt();
    }

    /**
     * Associated data: the header plus the binding, each part length-prefixed so that no two bindings encode alike
     * ({@code ("ab","c")} differs from {@code ("a","bc")}).
     */
    static byte[] associatedData(byte[] header, FieldBinding binding) {
        byte[] type = binding.resourceType().getBytes(StandardCharsets.UTF_8);
        byte[] id = binding.recordId().getBytes(StandardCharsets.UTF_8);
        byte[] field = binding.field().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(HEADER_BYTES + 12 + type.length + id.length + field.length)
                .put(header, 0, HEADER_BYTES)
                .putInt(type.length).put(type)
                .putInt(id.length).put(id)
                .putInt(field.length).put(field)
                .array();
    }
}

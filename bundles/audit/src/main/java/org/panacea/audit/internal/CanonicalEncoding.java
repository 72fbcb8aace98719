package org.panacea.audit.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * An unambiguous byte encoding of a list of values, the input of every hash and MAC of the trail. Numbers are written
 * big-endian at a fixed width and text as its UTF-8 length (4 bytes) followed by its bytes, so no choice of values can
 * move a field boundary: {@code ("ab", "c")} and {@code ("a", "bc")} encode differently. Not thread-safe; use one per
 * computation.
 */
final class CanonicalEncoding {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private final DataOutputStream out = new DataOutputStream(bytes);

    CanonicalEncoding text(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        try {
            out.writeInt(utf8.length);
            out.write(utf8);
        } catch (IOException e) {
            // A ByteArrayOutputStream never throws; keep the compiler honest without a checked exception.
            throw new UncheckedIOException(e);
        }
        return this;
    }

    CanonicalEncoding number(long value) {
        try {
            out.writeLong(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Seconds since the epoch and the nanosecond of that second, so two instants encode equal only when equal. */
    CanonicalEncoding instant(Instant value) {
        number(value.getEpochSecond());
        return number(value.getNano());
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }
}

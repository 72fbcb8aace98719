package org.panacea.dicom.read;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * An instance read with the values of some top-level elements copied as stored ({@link DicomReader#read(
 * java.io.InputStream, long, java.util.Set)}).
 *
 * @param instance what the reader reads of every file
 * @param copied   the value bytes of each asked-for element the file holds, as stored (padding included, in the
 *                 character set its Specific Character Set names); elements it lacks are absent
 * @since 1.2
 */
public record CopiedInstance(DicomInstance instance, Map<Integer, byte[]> copied) {

    public CopiedInstance {
        Map<Integer, byte[]> copies = new HashMap<>();
        copied.forEach((tag, value) -> copies.put(tag, value.clone()));
        copied = Map.copyOf(copies);
    }

    /** The value bytes of {@code tag} as stored (a copy), or {@code null} when the file does not hold it. */
    public byte[] value(int tag) {
        byte[] value = copied.get(tag);
        return value == null ? null : Arrays.copyOf(value, value.length);
    }
}

package org.panacea.dicom.write;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The UIDs Panacea makes (PS3.5 9 and B.2): under the root {@code 2.25}, which needs no registered organisation, a
 * UID is {@code 2.25.} followed by a UUID read as one unsigned 128-bit integer in decimal (ITU-T X.667), at most 44
 * characters. Instances, series and dimension organisations get random (version 4) UUIDs; Panacea's Implementation
 * Class UID is the name-based (version 3) UUID of {@value #IMPLEMENTATION_NAME}, the same in every installation.
 */
public final class Uids {

    /** The root of every UID Panacea makes. */
    public static final String ROOT = "2.25";
    /** The name whose UUID is the Implementation Class UID. */
    static final String IMPLEMENTATION_NAME = "org.panacea.dicom implementation 1";
    /** Implementation Class UID (0002,0012) of the files Panacea writes. */
    public static final String IMPLEMENTATION_CLASS_UID = of(
            UUID.nameUUIDFromBytes(IMPLEMENTATION_NAME.getBytes(StandardCharsets.UTF_8)));

    private Uids() {
    }

    /** A new UID, unique without coordination: {@code 2.25.<random UUID as an integer>}. */
    public static String random() {
        return of(UUID.randomUUID());
    }

    /** The UID of a UUID under {@link #ROOT}. */
    public static String of(UUID uuid) {
        byte[] bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
        return ROOT + "." + new BigInteger(1, bytes);
    }
}

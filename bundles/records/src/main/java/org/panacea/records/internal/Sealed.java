package org.panacea.records.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.FieldBinding;
import org.panacea.api.security.FieldEncryption;
import org.panacea.records.internal.images.ImageInstanceRow;
import org.panacea.records.internal.store.ResourceRow;
import org.panacea.records.internal.store.ResourceVersionRow;

/**
 * Where a sealed value belongs: the associated data the records bundle binds into each AES-GCM value.
 * <p>
 * <b>Format 2 (current).</b> A resource is bound to its type, its id, its column, <em>the version it is written
 * as</em> and <em>the clear patient-id column</em> of its row; an image instance's metadata to its binary, the blind
 * index of its SOP Instance UID, its clear patient and study columns, format, modality, sizes and chunk count. A
 * database writer can therefore neither roll a value back (an older version's sealed column copied over the current
 * row), nor re-link a row to another patient (its patient column changed), nor edit a clear column of an image: the
 * value no longer opens. The extra parts travel in the binding's field, length-prefixed, and the field is itself
 * length-prefixed in the associated data, so the encoding is unambiguous and the security bundle's format is untouched.
 * A whole row restored from a backup, version column included, is indistinguishable from the past and not detected:
 * that needs state outside the database.
 * <p>
 * <b>Older values.</b> Rows written before this binding (type, id and column only) must stay readable, but a writer
 * must not be able to turn a current row back into an old one by pasting an old value and an old format marker. So
 * an old binding is accepted only from a row of format 1 whose {@code LEGACY_SEAL} column holds a keyed permit (an
 * HMAC under the blind-index key, which is in the key store, not the database) over its type, id, version, patient
 * and the SHA-256 of its sealed bytes. Permits are issued once, by {@link LegacySeals} when this version first
 * starts on a database that has no format markers at all and whose every value opens under the older binding, for
 * exactly the rows that exist then; a row is re-sealed in format 2 on its next write and its permit dropped. A writer can neither mint a permit for another row or value
 * nor reuse one for a changed version, patient or value, and a row without a marker opens under no binding. (This
 * was chosen over "try the new binding, fall back to the old", which lets any row be downgraded, and over a plain
 * format column, which a writer could flip as easily as the value.)
 */
public final class Sealed {

    static final String FIELD = "resource";
    /** {@code SEAL_FORMAT} of a row written before bindings held version and patient, with a legacy permit. */
    static final int LEGACY = 1;
    /** {@code SEAL_FORMAT} of a row sealed with the current binding. */
    public static final int BOUND = 2;

    private static final String PERMIT_FIELD = "PANACEA.legacy-seal";

    private Sealed() {
    }

    /** The current binding of a resource written as {@code version} with {@code patientId} in its clear column. */
    static FieldBinding resource(String resourceType, String id, long version, String patientId) {
        return new FieldBinding(resourceType, id, field(FIELD, Long.toString(version), patientPart(patientId)));
    }

    /** The binding of values written before format 2: type, id and column only. */
    static FieldBinding legacyResource(String resourceType, String id) {
        return new FieldBinding(resourceType, id, FIELD);
    }

    /** The current binding of an image instance's metadata: every clear column of its row. */
    public static FieldBinding imageMetadata(String binaryId, String uidToken, String patientId,
            String imagingStudyId, String format, String modality, int width, int height, int frames, long byteCount,
            int chunkCount) {
        return new FieldBinding("Binary", binaryId, field("metadata", uidToken, patientId, imagingStudyId, format,
                modality, width + "x" + height + "x" + frames, Long.toString(byteCount), Integer.toString(chunkCount)));
    }

    static FieldBinding imageMetadata(ImageInstanceRow row) {
        return imageMetadata(row.binaryId(), row.uidToken(), row.patientId(), row.imagingStudyId(), row.format(),
                row.modality(), row.width(), row.height(), row.frames(), row.byteCount(), row.chunkCount());
    }

    static FieldBinding legacyImageMetadata(String binaryId) {
        return new FieldBinding("Binary", binaryId, "metadata");
    }

    /** The plaintext of a resource row, checked against its row as its format says. */
    static byte[] open(FieldEncryption encryption, ResourceRow row) {
        return open(encryption, row.resourceType(), row.id(), row.versionId(), row.patientId(), row.sealed(),
                row.sealFormat(), row.legacySeal());
    }

    /** The plaintext of an earlier version, sealed when it was current and checked the same way. */
    static byte[] open(FieldEncryption encryption, ResourceVersionRow row) {
        return open(encryption, row.resourceType(), row.id(), row.versionId(), row.patientId(), row.sealed(),
                row.sealFormat(), row.legacySeal());
    }

    private static byte[] open(FieldEncryption encryption, String type, String id, long version, String patientId,
            byte[] sealed, Integer format, String legacySeal) {
        String what = type + "/" + id + " (version " + version + ")";
        try {
            if (format != null && format == BOUND) {
                return encryption.decrypt(resource(type, id, version, patientId), sealed);
            }
            if (format != null && format == LEGACY
                    && permit(encryption, type, id, version, patientId, sealed).equals(legacySeal)) {
                return encryption.decrypt(legacyResource(type, id), sealed);
            }
        } catch (DecryptionException e) {
            throw integrity(what, e);
        }
        throw integrity(what, null);
    }

    /** The metadata plaintext of an image instance row, checked against its row as its format says. */
    public static byte[] open(FieldEncryption encryption, ImageInstanceRow row) {
        String what = "image instance stored as Binary/" + row.binaryId();
        Integer format = row.sealFormat();
        try {
            if (format != null && format == BOUND) {
                return encryption.decrypt(imageMetadata(row), row.sealedMetadata());
            }
            if (format != null && format == LEGACY && permit(encryption, row).equals(row.legacySeal())) {
                return encryption.decrypt(legacyImageMetadata(row.binaryId()), row.sealedMetadata());
            }
        } catch (DecryptionException e) {
            throw integrity(what, e);
        }
        throw integrity(what, null);
    }

    private static DecryptionException integrity(String what, DecryptionException cause) {
        return new DecryptionException(what + " failed its integrity check: its sealed content does not belong to "
                + "this row as the database now holds it (rolled back to another version, moved to another patient, "
                + "copied from elsewhere, or altered); it is not returned", cause);
    }

    /** The legacy permit of a resource row as it stands. */
    static String permit(FieldEncryption encryption, ResourceRow row) {
        return permit(encryption, row.resourceType(), row.id(), row.versionId(), row.patientId(), row.sealed());
    }

    private static String permit(FieldEncryption encryption, String type, String id, long version, String patientId,
            byte[] sealed) {
        return permit(encryption, "resource", sealed, type, id, Long.toString(version), patientPart(patientId));
    }

    /** The legacy permit of an image instance row as it stands. */
    static String permit(FieldEncryption encryption, ImageInstanceRow row) {
        return permit(encryption, "image", row.sealedMetadata(), imageMetadata(row).field(), row.binaryId());
    }

    /**
     * A keyed hash (the blind index under its own field name) of the parts and the sealed bytes' SHA-256. Hashed
     * first, so the blind index's normalisation (lower case) sees only hex digits.
     */
    private static String permit(FieldEncryption encryption, String kind, byte[] sealed, String... parts) {
        MessageDigest sha256 = sha256();
        sha256.update(field(kind, parts).getBytes(StandardCharsets.UTF_8));
        sha256.update(sha256().digest(sealed));
        return encryption.blindIndex(PERMIT_FIELD, HexFormat.of().formatHex(sha256.digest()));
    }

    /**
     * {@code name@2} followed by each part as {@code ;<length>:<part>}: distinct parts always give distinct fields.
     */
    static String field(String name, String... parts) {
        StringBuilder field = new StringBuilder(name).append("@2");
        for (String part : parts) {
            field.append(';').append(part.length()).append(':').append(part);
        }
        return field.toString();
    }

    /** A patient column, null (directory data) told apart from any id. */
    private static String patientPart(String patientId) {
        return patientId == null ? "-" : "=" + patientId;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}

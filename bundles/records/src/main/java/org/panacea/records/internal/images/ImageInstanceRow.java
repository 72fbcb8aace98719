package org.panacea.records.internal.images;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Index;
import javax.persistence.Lob;
import javax.persistence.Table;

/**
 * One image instance in the archive: found by the blind index of its SOP Instance UID; its UIDs and derivation are
 * in {@code SEALED_METADATA}; its bytes (the DICOM file as received, or a derived image's samples) are in
 * {@link BinaryChunkRow}s. Only sizes, the modality and the pseudonymous patient and study ids are in clear, and
 * each of them is bound into the sealed metadata's associated data, so none can be changed in the database unnoticed.
 */
@Entity
@Table(name = "PANACEA_IMAGE_INSTANCE", indexes = {
        @Index(name = "PANACEA_IMAGE_STUDY", columnList = "IMAGING_STUDY_ID") })
public class ImageInstanceRow {

    /** The bytes are a DICOM Part 10 file as received. */
    public static final String FORMAT_DICOM = "dicom";
    /** The bytes are a derived image's samples, described by the sealed metadata. */
    public static final String FORMAT_PIXELS = "pixels";

    @Id
    @Column(name = "UID_TOKEN", length = 64)
    private String uidToken;

    @Column(name = "BINARY_ID", length = 64, nullable = false)
    private String binaryId;

    @Column(name = "PATIENT_ID", length = 64, nullable = false)
    private String patientId;

    @Column(name = "IMAGING_STUDY_ID", length = 64, nullable = false)
    private String imagingStudyId;

    @Column(name = "FORMAT", length = 16, nullable = false)
    private String format;

    @Column(name = "MODALITY", length = 16, nullable = false)
    private String modality;

    @Column(name = "WIDTH", nullable = false)
    private int width;

    @Column(name = "HEIGHT", nullable = false)
    private int height;

    @Column(name = "FRAMES", nullable = false)
    private int frames;

    @Column(name = "BYTE_COUNT", nullable = false)
    private long byteCount;

    @Column(name = "CHUNK_COUNT", nullable = false)
    private int chunkCount;

    @Column(name = "STORED_AT", nullable = false)
    private long storedAtMillis;

    @Lob
    @Column(name = "SEALED_METADATA", nullable = false, length = 1024 * 1024)
    private byte[] sealedMetadata;

    /** How {@code SEALED_METADATA} is bound: null (older row), 1 (older row with a legacy permit) or 2 (current). */
    @Column(name = "SEAL_FORMAT")
    private Integer sealFormat;

    /** For a row of format 1: the keyed permit that lets its older binding be read (null otherwise). */
    @Column(name = "LEGACY_SEAL", length = 64)
    private String legacySeal;

    protected ImageInstanceRow() {
        // for JPA
    }

    public ImageInstanceRow(String uidToken, String binaryId, String patientId, String imagingStudyId, String format,
            String modality, int width, int height, int frames, long byteCount, int chunkCount, long storedAtMillis,
            byte[] sealedMetadata, int sealFormat) {
        this.uidToken = uidToken;
        this.binaryId = binaryId;
        this.patientId = patientId;
        this.imagingStudyId = imagingStudyId;
        this.format = format;
        this.modality = modality;
        this.width = width;
        this.height = height;
        this.frames = frames;
        this.byteCount = byteCount;
        this.chunkCount = chunkCount;
        this.storedAtMillis = storedAtMillis;
        this.sealedMetadata = sealedMetadata;
        this.sealFormat = sealFormat;
    }

    public String uidToken() {
        return uidToken;
    }

    public String binaryId() {
        return binaryId;
    }

    public String patientId() {
        return patientId;
    }

    public String imagingStudyId() {
        return imagingStudyId;
    }

    public String format() {
        return format;
    }

    public String modality() {
        return modality;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int frames() {
        return frames;
    }

    public long byteCount() {
        return byteCount;
    }

    public int chunkCount() {
        return chunkCount;
    }

    /** When the instance was stored, in milliseconds since the epoch. */
    public long storedAtMillis() {
        return storedAtMillis;
    }

    public byte[] sealedMetadata() {
        return sealedMetadata;
    }

    /** The binding format of {@link #sealedMetadata()}, or null when the row predates binding formats. */
    public Integer sealFormat() {
        return sealFormat;
    }

    public String legacySeal() {
        return legacySeal;
    }
}

package org.panacea.dicom.read;

/**
 * Bounds that keep a hostile or damaged file from making the reader allocate or inflate more than it should. Every
 * declared length is also checked against what remains of the input when its length is known; these limits are
 * what is left to protect streams of unknown length and deflated data sets.
 *
 * @param maxPixelDataBytes largest decoded pixel data (all frames) the reader will allocate, in bytes
 * @param maxInflatedBytes  largest inflated data set accepted for the deflated transfer syntax, in bytes
 * @param maxValueBytes     largest value of an attribute the reader keeps (names, UIDs, numbers), in bytes
 * @param maxSequenceDepth  deepest nesting of sequences accepted
 */
public record DicomReadLimits(long maxPixelDataBytes, long maxInflatedBytes, int maxValueBytes,
        int maxSequenceDepth) {

    /**
     * 1 GiB of pixel data, 2 GiB inflated, 64 KiB per kept value, sequences nested 64 deep: far above real images
     * (a 2048x2048x16-bit frame is 8 MiB; a kept value is at most 64 characters by the standard) yet small enough
     * that a forged length cannot exhaust the heap of a default platform.
     */
    public static final DicomReadLimits DEFAULT = new DicomReadLimits(1L << 30, 2L << 30, 64 * 1024, 64);

    public DicomReadLimits {
        if (maxPixelDataBytes < 1 || maxInflatedBytes < 1 || maxValueBytes < 64 || maxSequenceDepth < 1) {
            throw new IllegalArgumentException("limits must be positive (max value bytes at least 64), were "
                    + maxPixelDataBytes + ", " + maxInflatedBytes + ", " + maxValueBytes + ", " + maxSequenceDepth);
        }
    }
}

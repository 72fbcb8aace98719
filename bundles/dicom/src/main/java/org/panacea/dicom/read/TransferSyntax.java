package org.panacea.dicom.read;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The transfer syntaxes this reader decodes (PS3.5 Section 10 and Annexes A, G), and the names of those it refuses
 * so that a refusal says what the file is.
 */
enum TransferSyntax {
    IMPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, false, false,
            false),
    EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, false, false,
            false),
    DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false,
            true, false, false, false),
    EXPLICIT_VR_BIG_ENDIAN("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false, false, false, false),
    RLE_LOSSLESS("1.2.840.10008.1.2.5", "RLE Lossless", true, false, false, true, false, false),
    JPEG_LOSSLESS("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", true, false, false,
            false, true, false),
    JPEG_LOSSLESS_SV1("1.2.840.10008.1.2.4.70",
            "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", true, false,
            false, false, true, false),
    JPEG_BASELINE("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, false, false, false, false, true),
    /** Decoded when its samples have 8 bits; 12-bit samples are refused by name (see {@link JpegBaselinePixelReader}). */
    JPEG_EXTENDED("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", true, false, false, false, false, true);

    final String uid;
    final String title;
    final boolean explicitVr;
    final boolean bigEndian;
    final boolean deflated;
    /** Pixel data in fragments, one RLE-compressed frame per fragment (PS3.5 A.4.2). */
    final boolean rle;
    /** Pixel data in fragments holding one JPEG lossless image per frame (PS3.5 A.4.1). */
    final boolean jpegLossless;
    /** Pixel data in fragments holding one lossy (DCT) JPEG image per frame (PS3.5 A.4.1, 8.2.1). */
    final boolean jpegLossy;

    TransferSyntax(String uid, String title, boolean explicitVr, boolean bigEndian, boolean deflated, boolean rle,
            boolean jpegLossless, boolean jpegLossy) {
        this.uid = uid;
        this.title = title;
        this.explicitVr = explicitVr;
        this.bigEndian = bigEndian;
        this.deflated = deflated;
        this.rle = rle;
        this.jpegLossless = jpegLossless;
        this.jpegLossy = jpegLossy;
    }

    /** Transfer syntaxes of PS3.6 Table A-1 this reader knows by name but does not decode. */
    private static final Map<String, String> REFUSED = new LinkedHashMap<>();

    static {
        String jpeg = "1.2.840.10008.1.2.4.";
        REFUSED.put(jpeg + "52", "JPEG Extended (Process 3 & 5), retired");
        REFUSED.put(jpeg + "53", "JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8), retired");
        REFUSED.put(jpeg + "54", "JPEG Spectral Selection, Non-Hierarchical (Process 7 & 9), retired");
        REFUSED.put(jpeg + "55", "JPEG Full Progression, Non-Hierarchical (Process 10 & 12), retired");
        REFUSED.put(jpeg + "56", "JPEG Full Progression, Non-Hierarchical (Process 11 & 13), retired");
        REFUSED.put(jpeg + "58", "JPEG Lossless, Non-Hierarchical (Process 15), retired");
        for (int process = 59; process <= 66; process++) {
            REFUSED.put(jpeg + process, "JPEG Hierarchical, retired");
        }
        REFUSED.put(jpeg + "80", "JPEG-LS Lossless Image Compression");
        REFUSED.put(jpeg + "81", "JPEG-LS Lossy (Near-Lossless) Image Compression");
        REFUSED.put(jpeg + "90", "JPEG 2000 Image Compression (Lossless Only)");
        REFUSED.put(jpeg + "91", "JPEG 2000 Image Compression");
        REFUSED.put(jpeg + "92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)");
        REFUSED.put(jpeg + "93", "JPEG 2000 Part 2 Multi-component Image Compression");
        REFUSED.put(jpeg + "94", "JPIP Referenced");
        REFUSED.put(jpeg + "95", "JPIP Referenced Deflate");
        REFUSED.put(jpeg + "100", "MPEG2 Main Profile / Main Level");
        REFUSED.put(jpeg + "100.1", "Fragmentable MPEG2 Main Profile / Main Level");
        REFUSED.put(jpeg + "101", "MPEG2 Main Profile / High Level");
        REFUSED.put(jpeg + "101.1", "Fragmentable MPEG2 Main Profile / High Level");
        REFUSED.put(jpeg + "102", "MPEG-4 AVC/H.264 High Profile / Level 4.1");
        REFUSED.put(jpeg + "102.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1");
        REFUSED.put(jpeg + "103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1");
        REFUSED.put(jpeg + "103.1", "Fragmentable MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1");
        REFUSED.put(jpeg + "104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video");
        REFUSED.put(jpeg + "104.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video");
        REFUSED.put(jpeg + "105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video");
        REFUSED.put(jpeg + "105.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video");
        REFUSED.put(jpeg + "106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2");
        REFUSED.put(jpeg + "106.1", "Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2");
        REFUSED.put(jpeg + "107", "HEVC/H.265 Main Profile / Level 5.1");
        REFUSED.put(jpeg + "108", "HEVC/H.265 Main 10 Profile / Level 5.1");
        REFUSED.put(jpeg + "110", "JPEG XL Lossless");
        REFUSED.put(jpeg + "111", "JPEG XL JPEG Recompression");
        REFUSED.put(jpeg + "112", "JPEG XL");
        REFUSED.put(jpeg + "201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)");
        REFUSED.put(jpeg + "202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)");
        REFUSED.put(jpeg + "203", "High-Throughput JPEG 2000 Image Compression");
        REFUSED.put(jpeg + "204", "JPIP HTJ2K Referenced");
        REFUSED.put(jpeg + "205", "JPIP HTJ2K Referenced Deflate");
        REFUSED.put("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian");
        REFUSED.put("1.2.840.10008.1.2.6.1", "RFC 2557 MIME encapsulation, retired");
        REFUSED.put("1.2.840.10008.1.2.6.2", "XML Encoding, retired");
        REFUSED.put("1.2.840.10008.1.2.7.1", "SMPTE ST 2110-20 Uncompressed Progressive Active Video");
        REFUSED.put("1.2.840.10008.1.2.7.2", "SMPTE ST 2110-20 Uncompressed Interlaced Active Video");
        REFUSED.put("1.2.840.10008.1.2.7.3", "SMPTE ST 2110-30 PCM Digital Audio");
        REFUSED.put("1.2.840.10008.1.2.8.1", "Deflated Image Frame Compression");
    }

    /** The supported syntax with this UID, or {@code null}. */
    static TransferSyntax of(String uid) {
        for (TransferSyntax syntax : values()) {
            if (syntax.uid.equals(uid)) {
                return syntax;
            }
        }
        return null;
    }

    /** The standard name of a transfer syntax UID, {@code unknown} when the standard has none. */
    static String nameOf(String uid) {
        TransferSyntax supported = of(uid);
        if (supported != null) {
            return supported.title;
        }
        return REFUSED.getOrDefault(uid, "unknown");
    }
}

package org.panacea.dicom.read;

/**
 * What a JPEG image's own markers say about its colour components, read the way libjpeg reads them (jdapimin.c,
 * {@code default_decompress_parms}): an Adobe APP14 marker's transform flag decides; else a JFIF APP0 marker means
 * YCbCr; else component ids 'R', 'G', 'B' mean RGB; else three components are YCbCr.
 */
final class JpegMarkers {

    private JpegMarkers() {
    }

    /**
     * {@code true} when the three components of {@code jpeg} are Y, Cb, Cr. DICOM's YBR_FULL_422 and YBR_FULL say
     * so themselves (PS3.5 8.2.1); for RGB the JPEG's markers decide, as the DICOM files of some encoders transform
     * to YCbCr while declaring RGB.
     */
    static boolean componentsAreYcbcr(byte[] jpeg, String photometricInterpretation) {
        if (photometricInterpretation.startsWith("YBR")) {
            return true;
        }
        boolean jfif = false;
        int adobeTransform = -1;
        int[] ids = null;
        int at = 2;
        while (at + 4 <= jpeg.length) {
            if ((jpeg[at] & 0xFF) != 0xFF) {
                break;
            }
            int marker = jpeg[at + 1] & 0xFF;
            if (marker == 0xFF) {
                at++;
                continue;
            }
            int length = (jpeg[at + 2] & 0xFF) << 8 | jpeg[at + 3] & 0xFF;
            int data = at + 4;
            if (marker == 0xDA || length < 2 || data + length - 2 > jpeg.length) {
                break;
            }
            if (marker == 0xE0 && length >= 7 && startsWith(jpeg, data, "JFIF\0")) {
                jfif = true;
            } else if (marker == 0xEE && length >= 14 && startsWith(jpeg, data, "Adobe")) {
                adobeTransform = jpeg[data + 11] & 0xFF;
            } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
                    && length >= 8) {
                int components = jpeg[data + 5] & 0xFF;
                if (components == 3 && length >= 8 + 3 * 3) {
                    ids = new int[] { jpeg[data + 6] & 0xFF, jpeg[data + 9] & 0xFF, jpeg[data + 12] & 0xFF };
                }
            }
            at = data + length - 2;
        }
        if (adobeTransform >= 0) {
            return adobeTransform != 0;
        }
        if (jfif) {
            return true;
        }
        return ids == null || !(ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B');
    }

    private static boolean startsWith(byte[] bytes, int at, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (at + i >= bytes.length || bytes[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}

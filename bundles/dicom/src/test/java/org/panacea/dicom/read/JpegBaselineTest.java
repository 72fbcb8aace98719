package org.panacea.dicom.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.panacea.api.imaging.Pixels;

/**
 * JPEG Baseline (1.2.840.10008.1.2.4.50) and 8-bit JPEG Extended (.51), decoded by the JDK's JPEG decoder, agree
 * with an independent decoder (pydicom with Pillow, reference pixels made by {@code jpeg-baseline/make_reference.py})
 * on real files: a grey image compressed by dcmtk as baseline and as extended (exactly), YBR_FULL colour, RGB whose
 * JPEG holds YCbCr without JFIF or Adobe marker, and an odd-sized image. Colour files are compared as the grey Panacea keeps (BT.601 luma): the reference takes a detour
 * through RGB, which rounds (1 or 2 grey levels) and clamps where a colour saturates (up to 11 levels, on fewer than
 * 1% of the pixels); reading YCbCr as RGB or the reverse would move the mean by tens of levels. 12-bit JPEG stays
 * refused by name (JPEG-LS and JPEG 2000 in {@link RefusalsTest}).
 */
class JpegBaselineTest {

    private final DicomReader reader = new DicomReader();

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = JpegBaselineTest.class.getResourceAsStream("/jpeg-baseline/" + name)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @CsvSource({ "image_dfl_baseline, 50, MONOCHROME2, 512, 512, 0",
            "image_dfl_extended, 51, MONOCHROME2, 512, 512, 0",
            "SC_rgb_jpeg_dcmtk, 50, YBR_FULL, 100, 100, 2",
            "SC_jpeg_no_color_transform, 50, RGB, 256, 256, 2",
            "SC_rgb_small_odd_jpeg, 50, YBR_FULL, 3, 3, 2" })
    void decodesAsAnIndependentDecoderDoes(String name, int process, String photometric, int rows, int columns,
            int tolerance) throws IOException {
        byte[] file = resource(name + ".dcm");
        DicomInstance dicom = reader.read(new ByteArrayInputStream(file), file.length);
        assertEquals("1.2.840.10008.1.2.4." + process, dicom.transferSyntaxUid());
        assertEquals(photometric, dicom.image().photometricInterpretation());
        assertEquals(rows, dicom.image().rows());
        assertEquals(columns, dicom.image().columns());
        Pixels.Gray8 grey = assertInstanceOf(Pixels.Gray8.class, dicom.frames().get(0));
        byte[] expected = resource(name + ".grey_u8.raw");
        assertEquals(expected.length, grey.values().length);
        int worst = 0;
        int beyond = 0;
        long total = 0;
        for (int i = 0; i < expected.length; i++) {
            int difference = Math.abs((expected[i] & 0xFF) - (grey.values()[i] & 0xFF));
            worst = Math.max(worst, difference);
            beyond += difference > tolerance ? 1 : 0;
            total += difference;
        }
        String summary = name + ": largest difference " + worst + " grey levels, " + beyond + " pixels beyond "
                + tolerance + ", mean " + (double) total / expected.length;
        assertTrue(beyond <= expected.length / 100 && worst <= 11, summary);
        if (tolerance == 0) {
            assertEquals(0, worst, summary);
        }
        // A colour decision gone wrong (YCbCr read as RGB or the reverse) moves the mean by tens of grey levels.
        assertTrue((double) total / expected.length < 0.6, name + ": mean difference " + (double) total
                / expected.length);
    }

    @Test
    void twelveBitJpegIsRefusedByName() {
        UnsupportedTransferSyntaxException e = assertThrows(UnsupportedTransferSyntaxException.class,
                () -> reader.read(Samples.path("JPEG-lossy.dcm")));
        assertTrue(e.getMessage().contains("unsupported transfer syntax 1.2.840.10008.1.2.4.51 (JPEG Extended "
                + "(Process 2 & 4)) with 12-bit samples"), e.getMessage());
    }

    @Test
    void aCorruptJpegStreamIsRefusedNamingTheFrame() throws IOException {
        byte[] damaged = resource("SC_rgb_jpeg_dcmtk.dcm");
        int sos = new String(damaged, StandardCharsets.ISO_8859_1).indexOf("\u00FF\u00DA");
        for (int i = sos + 20; i < damaged.length - 20; i++) {
            damaged[i] = (byte) 0xFF;
        }
        DicomFormatException e = assertThrows(DicomFormatException.class,
                () -> reader.read(new ByteArrayInputStream(damaged), damaged.length));
        assertTrue(e.getMessage().contains("frame 1") && e.getMessage().contains("Pixel Data (7FE0,0010)"),
                e.getMessage());

        byte[] notJpeg = resource("SC_rgb_jpeg_dcmtk.dcm");
        int soi = new String(notJpeg, StandardCharsets.ISO_8859_1).indexOf("\u00FF\u00D8");
        notJpeg[soi + 1] = 0x00;
        e = assertThrows(DicomFormatException.class, () -> reader.read(new ByteArrayInputStream(notJpeg),
                notJpeg.length));
        assertTrue(e.getMessage().contains("frame 1 is not a JPEG image"), e.getMessage());
    }
}

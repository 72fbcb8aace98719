package org.panacea.dicom.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.Pixels;

/**
 * JPEG Lossless (processes 14 and 15) decodes to exactly the pixels of the uncompressed original, for every
 * predictor, a point transform, fragmented frames, several frames, signed, unsigned, 12-bit and 8-bit images (files
 * made by dcmtk, see the resources' README); corrupt streams are refused naming the problem.
 */
class JpegLosslessTest {

    private final DicomReader reader = new DicomReader();

    private static Path path(String name) {
        try {
            return Paths.get(JpegLosslessTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertSamePixels(Pixels expected, Pixels actual, String what) {
        assertEquals(expected.getClass(), actual.getClass(), what);
        if (expected instanceof Pixels.Gray16 gray) {
            assertEquals(gray.signed(), ((Pixels.Gray16) actual).signed(), what);
            assertArrayEquals(gray.values(), ((Pixels.Gray16) actual).values(), what);
        } else {
            assertArrayEquals(((Pixels.Gray8) expected).values(), ((Pixels.Gray8) actual).values(), what);
        }
    }

    @ParameterizedTest
    @CsvSource({ "CT_small_sv1.dcm, /dicom/CT_small.dcm, 1.2.840.10008.1.2.4.70",
            "CT_small_sv2.dcm, /dicom/CT_small.dcm, 1.2.840.10008.1.2.4.57",
            "CT_small_sv3.dcm, /dicom/CT_small.dcm, 1.2.840.10008.1.2.4.57",
            "CT_small_sv4.dcm, /dicom/CT_small.dcm, 1.2.840.10008.1.2.4.57",
            "CT_small_sv5.dcm, /dicom/CT_small.dcm, 1.2.840.10008.1.2.4.57",
            "CT_small_sv6.dcm, /dicom/CT_small.dcm, 1.2.840.10008.1.2.4.57",
            "CT_small_sv7.dcm, /dicom/CT_small.dcm, 1.2.840.10008.1.2.4.57",
            "CT_small_fragments.dcm, /dicom/CT_small.dcm, 1.2.840.10008.1.2.4.70",
            "MR_small_sv1.dcm, /dicom/MR_small.dcm, 1.2.840.10008.1.2.4.70",
            "nibabel_mr_256_sv4.dcm, /dicom/nibabel_mr_256.dcm, 1.2.840.10008.1.2.4.57",
            "image_dfl_sv1.dcm, /dicom/image_dfl.dcm, 1.2.840.10008.1.2.4.70",
            "MR_small_3frames_sv6.dcm, /jpeg-lossless/MR_small_3frames.dcm, 1.2.840.10008.1.2.4.57" })
    void decodesToThePixelsOfTheUncompressedOriginal(String compressed, String original, String syntax)
            throws IOException {
        DicomInstance jpeg = reader.read(path("/jpeg-lossless/" + compressed));
        DicomInstance plain = reader.read(path(original));
        assertEquals(syntax, jpeg.transferSyntaxUid());
        assertEquals(plain.frames().size(), jpeg.frames().size());
        for (int f = 0; f < plain.frames().size(); f++) {
            assertSamePixels(plain.frames().get(f), jpeg.frames().get(f), compressed + " frame " + f);
        }
        assertEquals(plain.metadata(), jpeg.metadata());
    }

    @Test
    void aPointTransformDropsTheLowBitsAsTheEncoderDid() throws IOException {
        short[] original = ((Pixels.Gray16) reader.read(path("/dicom/CT_small.dcm")).frames().get(0)).values();
        short[] decoded = ((Pixels.Gray16) reader.read(path("/jpeg-lossless/CT_small_pt2.dcm")).frames().get(0))
                .values();
        for (int i = 0; i < original.length; i++) {
            assertEquals(original[i] & ~3, decoded[i] & ~3, "sample " + i);
            assertEquals(0, decoded[i] & 3, "sample " + i);
        }
    }

    /** The offset of the first byte after the SOF3 marker's segment header in the file. */
    private static int find(byte[] file, int first, int second) {
        for (int i = 0; i + 1 < file.length; i++) {
            if ((file[i] & 0xFF) == first && (file[i + 1] & 0xFF) == second) {
                return i;
            }
        }
        throw new AssertionError("marker not found");
    }

    @ParameterizedTest
    @ValueSource(strings = { "huffman", "truncated", "process", "size" })
    void corruptStreamsAreRefusedNamingTheProblem(String damage) throws IOException {
        byte[] file = Files.readAllBytes(path("/jpeg-lossless/CT_small_sv1.dcm"));
        String expected;
        switch (damage) {
            case "huffman" -> {
                // Every code in the scan replaced by 1-bits: no table entry matches 16 of them.
                int sos = find(file, 0xFF, 0xDA);
                int eoi = find(file, 0xFF, 0xD9);
                for (int i = sos + 10; i < eoi - 2; i += 2) {
                    file[i] = (byte) 0xFF;
                    file[i + 1] = 0;
                }
                expected = "Huffman code matches no table entry";
            }
            case "truncated" -> {
                // The scan cut short by an early EOI, inside fragment lengths that still add up.
                int sos = find(file, 0xFF, 0xDA);
                file[sos + 200] = (byte) 0xFF;
                file[sos + 201] = (byte) 0xD9;
                expected = "ends";
            }
            case "process" -> {
                file[find(file, 0xFF, 0xC3) + 1] = (byte) 0xC1;
                expected = "SOF1";
            }
            default -> {
                int sof = find(file, 0xFF, 0xC3);
                file[sof + 8] = (byte) (file[sof + 8] + 1);
                expected = "but the DICOM header says 128x128";
            }
        }
        DicomFormatException e = assertThrows(DicomFormatException.class,
                () -> reader.read(new ByteArrayInputStream(file), file.length));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("Pixel Data (7FE0,0010)"), e.getMessage());
        assertEquals(Tags.PIXEL_DATA, e.tag());
    }
}

package org.panacea.plugins.imaging.windowlevel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;
import org.panacea.plugins.support.display.GreyscaleDisplay;

/**
 * Checked against NumPy's independent computation on the real CT_small image, and against pydicom on real MONOCHROME1
 * radiographs (see the resources' READMEs).
 */
class LinearVoiWindowTest {

    private static final int SIZE = 128;
    private final LinearVoiWindow window = new LinearVoiWindow();

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = LinearVoiWindowTest.class.getResourceAsStream("/ct_small/" + name)) {
            return in.readAllBytes();
        }
    }

    private static Image ctSmall() throws IOException {
        short[] stored = new short[SIZE * SIZE];
        ByteBuffer.wrap(resource("input_int16_le.raw")).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(stored);
        ImageMetadata metadata = new ImageMetadata("CT", 0.661468, 0.661468, 1, -1024, "HU", Double.NaN, Double.NaN,
                16, "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322");
        return new Image(SIZE, SIZE, new Pixels.Gray16(stored, true), metadata);
    }

    private static Parameters window(double center, double width) {
        return new Parameters(Map.of("center", center, "width", width));
    }

    @Test
    void matchesTheReferenceOnCtSmallToHalfAGreyLevel() throws Exception {
        byte[] out = ((Pixels.Gray8) window.apply(ctSmall(), window(40, 400)).image().pixels()).values();
        double[] reference = new double[SIZE * SIZE];
        ByteBuffer.wrap(resource("voi_linear_c40_w400_f64le.raw")).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer()
                .get(reference);
        double worst = 0;
        for (int i = 0; i < out.length; i++) {
            worst = Math.max(worst, Math.abs((out[i] & 0xFF) - reference[i]));
        }
        assertTrue(worst <= 0.5, "max |difference| " + worst + " grey levels");
    }

    @Test
    void theContinuousFunctionEqualsTheReferenceExactly() throws Exception {
        Image ct = ctSmall();
        short[] stored = ((Pixels.Gray16) ct.pixels()).values();
        double[] reference = new double[SIZE * SIZE];
        ByteBuffer.wrap(resource("voi_linear_c40_w400_f64le.raw")).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer()
                .get(reference);
        for (int i = 0; i < stored.length; i++) {
            assertEquals(reference[i], GreyscaleDisplay.linearVoi(stored[i] - 1024.0, 40, 400), 1e-9, "pixel " + i);
        }
    }

    /**
     * Real computed radiographs stored as MONOCHROME1 (higher values darker; 16x16, 12 bits, rescale 0.684 and 200):
     * the output is what a MONOCHROME2 display shows, byte for byte pydicom's modality and VOI functions inverted.
     */
    @ParameterizedTest
    @CsvSource({ "CR_6154_monochrome1, 1600, 2800, own", "CR_6154_monochrome1, 1700, 600, c1700_w600",
        "CR_6247_monochrome1, 1600, 2800, own", "CR_6247_monochrome1, 1700, 600, c1700_w600",
        "CR_6278_monochrome1, 1600, 2800, own", "CR_6278_monochrome1, 1700, 600, c1700_w600" })
    void monochrome1RadiographsComeOutTheRightWayRound(String name, double center, double width, String label)
            throws Exception {
        short[] stored = new short[16 * 16];
        try (InputStream in = LinearVoiWindowTest.class.getResourceAsStream("/cr_monochrome1/" + name
                + ".stored_u16le.raw")) {
            ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(stored);
        }
        Image radiograph = new Image(16, 16, new Pixels.Gray16(stored, false), new ImageMetadata("CR", 0.1, 0.1,
                0.684, 200, "OD", 1600, 2800, 12, "1.2.3", ImageMetadata.MONOCHROME1));
        Image out = window.apply(radiograph, window(center, width)).image();
        assertEquals(ImageMetadata.MONOCHROME2, out.metadata().photometricInterpretation());
        byte[] reference;
        try (InputStream in = LinearVoiWindowTest.class.getResourceAsStream("/cr_monochrome1/" + name + "." + label
                + ".display.png")) {
            reference = ((DataBufferByte) ImageIO.read(in).getRaster().getDataBuffer()).getData();
        }
        assertArrayEquals(reference, ((Pixels.Gray8) out.pixels()).values(), name + " " + label);
    }

    @Test
    void keepsTheSourcesGeometryAndIdentity() throws Exception {
        Image out = window.apply(ctSmall(), window(40, 400)).image();
        assertEquals(SIZE, out.width());
        assertEquals(0.661468, out.metadata().rowSpacing());
        assertEquals("CT", out.metadata().modality());
        assertEquals("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322", out.metadata().sourceInstanceUid());
        assertEquals(8, out.metadata().bitsStored());
    }

    @Test
    void eightBitAndRealInputsUseTheSameFunction() throws Exception {
        byte[] gray = { 0, 20, (byte) 127, (byte) 200, (byte) 255 };
        float[] real = { 0, 20, 127, 200, 255 };
        ImageMetadata plain = ImageMetadata.unknown(8);
        byte[] fromGray = ((Pixels.Gray8) window.apply(new Image(5, 1, new Pixels.Gray8(gray), plain), window(128, 101))
                .image().pixels()).values();
        byte[] fromReal = ((Pixels.Gray8) window.apply(new Image(5, 1, new Pixels.Float32(real), plain), window(128, 101))
                .image().pixels()).values();
        assertArrayEquals(fromGray, fromReal);
        assertEquals(0, fromGray[1]);
        assertEquals((byte) 255, fromGray[3]);
    }

    @Test
    void unsignedSixteenBitValuesAboveThirtyTwoThousandAreNotNegative() throws Exception {
        short[] values = { (short) 40000, 100 };
        byte[] out = ((Pixels.Gray8) window.apply(new Image(2, 1, new Pixels.Gray16(values, false),
                ImageMetadata.unknown(16)), window(20000, 1000)).image().pixels()).values();
        assertEquals((byte) 255, out[0]);
        assertEquals(0, out[1]);
    }

    @Test
    void aWidthBelowOneIsRefusedClearly() {
        AlgorithmException e = assertThrows(AlgorithmException.class,
                () -> window.apply(new Image(1, 1, new Pixels.Gray8(new byte[1]), ImageMetadata.unknown(8)),
                        window(40, 0.5)));
        assertTrue(e.getMessage().contains("width"));
    }
}

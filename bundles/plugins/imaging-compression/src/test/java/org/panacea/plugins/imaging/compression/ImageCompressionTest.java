package org.panacea.plugins.imaging.compression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;

class ImageCompressionTest {

    private final ImageCompression compression = new ImageCompression();

    private static Map<String, Double> measurements(AlgorithmResult result) {
        return result.measurements().stream().collect(Collectors.toMap(Measurement::name, Measurement::value));
    }

    private static Parameters near(int near) {
        return new Parameters(Map.of("near", near));
    }

    @Test
    void losslessReturnsTheSameSamplesAndMetadataWithTheRatio() throws Exception {
        Image ct = TestImages.ctSmall();
        AlgorithmResult result = compression.apply(ct, near(0));
        assertArrayEquals(((Pixels.Gray16) ct.pixels()).values(), ((Pixels.Gray16) result.image().pixels()).values());
        assertSame(ct.metadata(), result.image().metadata());
        Map<String, Double> m = measurements(result);
        byte[] stream = PredictiveImageCodec.encode(ct, 0);
        assertEquals(stream.length, m.get("compressed_bytes"));
        assertEquals(32768.0 / stream.length, m.get("ratio"), 1e-12);
        assertEquals(8.0 * stream.length / 16384, m.get("bits_per_pixel"), 1e-12);
        assertEquals(0, m.get("max_abs_error"));
        assertEquals(0, m.get("mean_abs_error"));
        assertFalse(m.containsKey("psnr"), "an exact copy has no finite PSNR");
    }

    @Test
    void nearLosslessReportsTheMeasuredErrorAndPsnr() throws Exception {
        Image ct = TestImages.ctSmall();
        AlgorithmResult result = compression.apply(ct, near(2));
        Map<String, Double> m = measurements(result);
        short[] in = ((Pixels.Gray16) ct.pixels()).values();
        short[] out = ((Pixels.Gray16) result.image().pixels()).values();
        double worst = 0;
        double squared = 0;
        for (int i = 0; i < in.length; i++) {
            worst = Math.max(worst, Math.abs(in[i] - out[i]));
            squared += (double) (in[i] - out[i]) * (in[i] - out[i]);
        }
        assertEquals(worst, m.get("max_abs_error"));
        assertTrue(worst <= 2 && worst > 0, "max error " + worst);
        // Peak = CT_small's dynamic range, 2191 - 128 stored units.
        double psnr = 10 * Math.log10(2063.0 * 2063.0 / (squared / in.length));
        assertEquals(psnr, m.get("psnr"), 1e-9);
        System.out.printf("CT_small near 2: ratio %.3f, PSNR %.2f dB, max error %.0f%n", m.get("ratio"),
                m.get("psnr"), m.get("max_abs_error"));
        assertTrue(m.get("ratio") > 3.5, "ratio " + m.get("ratio"));
        assertTrue(psnr > 55, "psnr " + psnr);
        assertSame(ct.metadata(), result.image().metadata());
    }

    @Test
    void everyPixelKindIsAccepted() throws Exception {
        byte[] gray8 = { 1, 2, 3, (byte) 255 };
        byte[] nearGray8 = ((Pixels.Gray8) compression.apply(
                new Image(4, 1, new Pixels.Gray8(gray8), ImageMetadata.unknown(8)), near(1)).image().pixels())
                .values();
        for (int i = 0; i < gray8.length; i++) {
            assertTrue(Math.abs((gray8[i] & 0xFF) - (nearGray8[i] & 0xFF)) <= 1, "8-bit sample " + i);
        }
        short[] unsigned = { (short) 65535, 0, (short) 40000 };
        assertArrayEquals(unsigned, ((Pixels.Gray16) compression.apply(
                new Image(1, 3, new Pixels.Gray16(unsigned, false), ImageMetadata.unknown(16)), near(0)).image()
                .pixels()).values());
        float[] real = { 1.5f, Float.NaN, -0f, 7e30f };
        float[] back = ((Pixels.Float32) compression.apply(
                new Image(2, 2, new Pixels.Float32(real), ImageMetadata.unknown(32)), near(0)).image().pixels())
                .values();
        for (int i = 0; i < real.length; i++) {
            assertEquals(Float.floatToRawIntBits(real[i]), Float.floatToRawIntBits(back[i]));
        }
    }

    @Test
    void badParametersAreRefusedNamingTheParameterAndRange() {
        Image one = new Image(1, 1, new Pixels.Gray8(new byte[1]), ImageMetadata.unknown(8));
        AlgorithmException tooLarge = assertThrows(AlgorithmException.class, () -> compression.apply(one, near(256)));
        assertTrue(tooLarge.getMessage().contains("near must be between 0 and 255"), tooLarge.getMessage());
        AlgorithmException negative = assertThrows(AlgorithmException.class, () -> compression.apply(one, near(-1)));
        assertTrue(negative.getMessage().contains("near"), negative.getMessage());
        Image real = new Image(1, 1, new Pixels.Float32(new float[1]), ImageMetadata.unknown(32));
        AlgorithmException lossyReal = assertThrows(AlgorithmException.class, () -> compression.apply(real, near(1)));
        assertTrue(lossyReal.getMessage().contains("near must be 0"), lossyReal.getMessage());
    }

    @Test
    void describesItself() {
        assertEquals("imaging.predictive-compression", compression.descriptor().id());
        assertEquals("near", compression.descriptor().parameters().get(0).name());
        assertEquals(0.0, compression.descriptor().parameters().get(0).minimum());
        assertEquals(255.0, compression.descriptor().parameters().get(0).maximum());
    }
}

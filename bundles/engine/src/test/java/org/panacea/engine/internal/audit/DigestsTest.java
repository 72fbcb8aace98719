package org.panacea.engine.internal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.CurvePoint;
import org.panacea.api.prediction.Prediction;

/** The digests against independent tools: GNU coreutils {@code sha256sum} and Python's {@code hashlib}. */
class DigestsTest {

    /** {@code sha256sum input_int16_le.raw} (see src/test/resources/ct_small/README.md). */
    static final String CT_SMALL_SHA256 = "7a481f6ffff833aef4d8bd54819bd8f472aaa7232090208e056c90eacf079926";

    /** CT_small's stored pixels, 128x128, signed 16-bit. */
    static short[] ctSmall() throws IOException {
        try (InputStream in = DigestsTest.class.getResourceAsStream("/ct_small/input_int16_le.raw")) {
            byte[] bytes = in.readAllBytes();
            short[] samples = new short[bytes.length / 2];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
            return samples;
        }
    }

    @Test
    void sixteenBitPixelsDigestLikeTheirRawLittleEndianFile() throws IOException {
        short[] samples = ctSmall();

        assertEquals(CT_SMALL_SHA256, Digests.pixels(new Pixels.Gray16(samples, true)));
        assertEquals(CT_SMALL_SHA256, Digests.pixels(new Pixels.Gray16(samples, false)),
                "the same stored bytes, whatever their signedness");
        assertEquals(2L * 128 * 128, Digests.pixelBytes(new Pixels.Gray16(samples, true)));
    }

    @Test
    void realPixelsDigestTheirIeeeBitsAcrossSliceBoundaries() {
        float[] values = new float[70_001]; // not a multiple of the 16384 floats of a slice
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((i % 1000) * 0.37 - 100.5);
        }

        // Python: hashlib.sha256(struct.pack('<70001f', *[(i % 1000) * 0.37 - 100.5 for i in range(70001)]))
        assertEquals("30b02c3ca302e03743b84fcfd3ce0a08f657b437c44d63a14526bf2dd15bf3a8",
                Digests.pixels(new Pixels.Float32(values)));
        assertEquals(4L * 70_001, Digests.pixelBytes(new Pixels.Float32(values)));
    }

    @Test
    void eightBitPixelsAndTinyImagesDigestTheirBytes() {
        // printf '\x00\x7f\xff' | sha256sum
        assertEquals("4234f1064f32788dc9487507f9eeecd0cdf7df6bd010fd1dad8026226e222813",
                Digests.pixels(new Pixels.Gray8(new byte[] {0, 127, (byte) 255})));
        // printf '' | sha256sum
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                Digests.pixels(new Pixels.Float32(new float[0])));
        assertNotEquals(Digests.pixels(new Pixels.Gray8(new byte[] {1})), Digests.pixels(new Pixels.Gray8(
                new byte[] {2})));
    }

    @Test
    void modelInputsDigestTheirSortedCanonicalText() {
        // printf 'age=63.0\nph_ecog=1.0\nsex=1.0\n' | sha256sum
        assertEquals("a3541fce4eccd8d4391f3c70c67aad826be225e68d23460eba7e17f75e1e9322",
                Digests.inputs(Map.of("sex", 1.0, "age", 63.0, "ph_ecog", 1.0)));
    }

    @Test
    void aPredictionDigestsItsCanonicalText() {
        Prediction prediction = new Prediction("malignancy", 0.25, "probability", "low", List.of(
                new Contribution("V1", 3, -0.5, "clump")), List.of(new CurvePoint(30, 0.9, Double.NaN, Double.NaN)));

        // printf 'outcome=malignancy\nvalue=0.25\nunit=probability\ninterpretation=low\n
        //         contribution=V1|3.0|-0.5|clump\ncurve=30.0|0.9|NaN|NaN\n' | sha256sum
        assertEquals("4538a775915520b0f754512c6f3445ef96c58d7d2241c44d5faf8c6a8e487119",
                Digests.prediction(prediction));
    }
}

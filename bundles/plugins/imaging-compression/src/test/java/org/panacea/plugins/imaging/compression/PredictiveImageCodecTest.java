package org.panacea.plugins.imaging.compression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;

/**
 * Bit-exact round trips on real and adversarial images, and compression ratios against dcmtk 3.6.7 on the same
 * pixels (see the resources' README: JPEG lossless SV1 {@code dcmcjpeg +e1}, JPEG-LS lossless {@code dcmcjpls}).
 */
class PredictiveImageCodecTest {

    private static final Random RANDOM = new Random(20240607);

    private static Image gray16(int width, int height, short[] values, boolean signed) {
        return new Image(width, height, new Pixels.Gray16(values, signed), ImageMetadata.unknown(16));
    }

    private static Image gray8(int width, int height, byte[] values) {
        return new Image(width, height, new Pixels.Gray8(values), ImageMetadata.unknown(8));
    }

    private static Image float32(int width, int height, float[] values) {
        return new Image(width, height, new Pixels.Float32(values), ImageMetadata.unknown(32));
    }

    /** Encodes losslessly, decodes, asserts every sample is back bit for bit, returns the stream. */
    static byte[] assertLosslessRoundTrip(Image image) {
        byte[] stream = PredictiveImageCodec.encode(image, 0);
        Image decoded = PredictiveImageCodec.decode(stream, image.metadata());
        assertEquals(image.width(), decoded.width());
        assertEquals(image.height(), decoded.height());
        Pixels in = image.pixels();
        Pixels out = decoded.pixels();
        assertEquals(in.getClass(), out.getClass());
        if (in instanceof Pixels.Gray8) {
            assertArrayEquals(((Pixels.Gray8) in).values(), ((Pixels.Gray8) out).values());
        } else if (in instanceof Pixels.Gray16) {
            assertEquals(((Pixels.Gray16) in).signed(), ((Pixels.Gray16) out).signed());
            assertArrayEquals(((Pixels.Gray16) in).values(), ((Pixels.Gray16) out).values());
        } else {
            float[] a = ((Pixels.Float32) in).values();
            float[] b = ((Pixels.Float32) out).values();
            for (int i = 0; i < a.length; i++) {
                assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), "sample " + i);
            }
        }
        return stream;
    }

    private static double ratio(Image image, byte[] stream) {
        return (double) image.pixels().length() * SampleFormat.of(image.pixels()).bits / 8 / stream.length;
    }

    @Test
    void ctSmallIsLosslessAndSmallerThanDicomJpegLosslessAndJpegLs() throws Exception {
        Image ct = TestImages.ctSmall();
        double ratio = ratio(ct, assertLosslessRoundTrip(ct));
        System.out.printf("CT_small lossless ratio %.3f (dcmtk JPEG lossless SV1 2.201, JPEG-LS 2.314)%n", ratio);
        assertTrue(ratio > 2.314, "ratio " + ratio);
        assertTrue(ratio > 2.40, "ratio " + ratio + " fell below the 2.44 measured when this test was written");
    }

    @Test
    void mrSmallIsLosslessAndSmallerThanDicomJpegLosslessAndJpegLs() throws Exception {
        Image mr = TestImages.mrSmall();
        double ratio = ratio(mr, assertLosslessRoundTrip(mr));
        System.out.printf("MR_small lossless ratio %.3f (dcmtk JPEG lossless SV1 1.864, JPEG-LS 1.849)%n", ratio);
        assertTrue(ratio > 1.864, "ratio " + ratio);
        assertTrue(ratio > 1.98, "ratio " + ratio + " fell below the 2.02 measured when this test was written");
    }

    /**
     * A real MR of about the size of the 360x360 MR on which dcmtk's JPEG lossless reaches 2.50 (that file is not
     * among the reference data): a 384x384 MR angiography projection, 80% background.
     */
    @Test
    void realMrAngiographyIsLosslessAndSmallerThanDicomJpegLosslessAndJpegLs() throws Exception {
        Image mr = TestImages.mrAngio384();
        double ratio = ratio(mr, assertLosslessRoundTrip(mr));
        System.out.printf("MR angiography 384 lossless ratio %.3f (dcmtk JPEG lossless SV1 8.433, JPEG-LS 19.12)%n",
                ratio);
        assertTrue(ratio > 19.12, "ratio " + ratio + " is not above JPEG-LS's 19.12 (JPEG lossless SV1: 8.433)");
        assertTrue(ratio > 21.5, "ratio " + ratio + " fell below the 22.18 measured when this test was written");
    }

    @Test
    void syntheticTestImagesOfDicomToolkitsAreLosslessAndSmallerThanDcmtk() throws Exception {
        Image mr256 = TestImages.mr256();
        double ramp = ratio(mr256, assertLosslessRoundTrip(mr256));
        Image graphic = TestImages.gray8();
        double eightBit = ratio(graphic, assertLosslessRoundTrip(graphic));
        System.out.printf("nibabel MR 256 (12-bit ramp) ratio %.1f (SV1 7.82, JPEG-LS 13.78); "
                + "image_dfl (8-bit graphic) ratio %.1f (SV1 5.88, JPEG-LS 17.50)%n", ramp, eightBit);
        assertTrue(ramp > 13.78, "ramp ratio " + ramp);
        assertTrue(eightBit > 17.50, "8-bit ratio " + eightBit);
    }

    @ParameterizedTest
    @CsvSource({ "1, 1", "1, 7", "7, 1", "2, 2", "3, 5", "13, 7", "64, 1", "1, 300", "129, 31" })
    void randomImagesOfAnySizeRoundTripInEveryFormat(int width, int height) {
        int n = width * height;
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        assertLosslessRoundTrip(gray8(width, height, bytes));
        short[] shorts = new short[n];
        for (int i = 0; i < n; i++) {
            shorts[i] = (short) RANDOM.nextInt();
        }
        assertLosslessRoundTrip(gray16(width, height, shorts, true));
        assertLosslessRoundTrip(gray16(width, height, shorts, false));
        float[] floats = new float[n];
        for (int i = 0; i < n; i++) {
            // Every bit pattern: NaNs with payloads, infinities, subnormals, -0.
            floats[i] = Float.intBitsToFloat(RANDOM.nextInt());
        }
        assertLosslessRoundTrip(float32(width, height, floats));
    }

    @Test
    void signedExtremesAndSpecialFloatsRoundTrip() {
        short[] extremes = { Short.MIN_VALUE, Short.MAX_VALUE, Short.MIN_VALUE, 0, -1, 1, Short.MAX_VALUE,
                Short.MIN_VALUE, Short.MAX_VALUE };
        assertLosslessRoundTrip(gray16(3, 3, extremes, true));
        assertLosslessRoundTrip(gray16(3, 3, extremes, false));
        short[] checker = new short[40 * 40];
        for (int i = 0; i < checker.length; i++) {
            checker[i] = ((i / 40 + i % 40) & 1) == 0 ? Short.MIN_VALUE : Short.MAX_VALUE;
        }
        assertLosslessRoundTrip(gray16(40, 40, checker, true));
        float[] special = { 0f, -0f, Float.NaN, Float.intBitsToFloat(0x7FC01234), Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
                1.5f, -1024.25f };
        assertLosslessRoundTrip(float32(4, 3, special));
        assertLosslessRoundTrip(gray8(2, 2, new byte[] { 0, (byte) 255, (byte) 255, 0 }));
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 17, 300 })
    void constantImagesCostAlmostNothing(int size) {
        short[] flat = new short[size * size];
        Arrays.fill(flat, (short) -1000);
        byte[] stream = assertLosslessRoundTrip(gray16(size, size, flat, true));
        assertTrue(stream.length < 64 + size * size / 100, size + "x" + size + ": " + stream.length + " bytes");
        float[] real = new float[size * size];
        Arrays.fill(real, 3.25f);
        assertLosslessRoundTrip(float32(size, size, real));
    }

    @Test
    void largeImagesAreCodedInParallelStripesAndDeterministically() throws Exception {
        // 1024x1100 is past the one-million-pixel mark: five stripes, the last one short.
        int width = 1024;
        int height = 1100;
        short[] ct = ((Pixels.Gray16) TestImages.ctSmall().pixels()).values();
        short[] values = new short[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                values[y * width + x] = ct[(y % 128) * 128 + x % 128];
            }
        }
        Image large = gray16(width, height, values, true);
        assertEquals(PredictiveImageCodec.STRIPE_ROWS, PredictiveImageCodec.stripeRows(width, height));
        byte[] first = assertLosslessRoundTrip(large);
        assertArrayEquals(first, PredictiveImageCodec.encode(large, 0));
        double ratio = ratio(large, first);
        assertTrue(ratio > 2.3, "tiled CT ratio " + ratio);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 3, 5, 10, 255 })
    void nearLosslessBoundsEveryErrorAndCompressesMore(int near) throws Exception {
        Image ct = TestImages.ctSmall();
        double losslessRatio = ratio(ct, PredictiveImageCodec.encode(ct, 0));
        byte[] stream = PredictiveImageCodec.encode(ct, near);
        Image decoded = PredictiveImageCodec.decode(stream, ct.metadata());
        int worst = 0;
        for (int i = 0; i < ct.pixels().length(); i++) {
            worst = Math.max(worst, (int) Math.abs(decoded.pixels().sample(i) - ct.pixels().sample(i)));
        }
        assertTrue(worst <= near, "near " + near + ": max error " + worst);
        assertTrue(ratio(ct, stream) > losslessRatio, "near " + near + " ratio " + ratio(ct, stream));

        // Random 8-bit and full-range 16-bit samples: the bound holds at the ends of the range too.
        byte[] bytes = new byte[31 * 17];
        RANDOM.nextBytes(bytes);
        Image random8 = gray8(31, 17, bytes);
        Image back8 = PredictiveImageCodec.decode(PredictiveImageCodec.encode(random8, near), random8.metadata());
        short[] shorts = new short[31 * 17];
        for (int i = 0; i < shorts.length; i++) {
            shorts[i] = (short) (i % 3 == 0 ? Short.MIN_VALUE : RANDOM.nextInt());
        }
        Image random16 = gray16(31, 17, shorts, true);
        Image back16 = PredictiveImageCodec.decode(PredictiveImageCodec.encode(random16, near), random16.metadata());
        for (int i = 0; i < bytes.length; i++) {
            assertTrue(Math.abs(back8.pixels().sample(i) - random8.pixels().sample(i)) <= near, "8-bit " + i);
            assertTrue(Math.abs(back16.pixels().sample(i) - random16.pixels().sample(i)) <= near, "16-bit " + i);
        }
    }

    @Test
    void nearOutOfRangeOrOnRealSamplesIsRefused() {
        Image image = gray8(1, 1, new byte[1]);
        IllegalArgumentException low = assertThrows(IllegalArgumentException.class,
                () -> PredictiveImageCodec.encode(image, -1));
        assertTrue(low.getMessage().contains("near must be between 0 and 255"), low.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PredictiveImageCodec.encode(image, 256));
        IllegalArgumentException real = assertThrows(IllegalArgumentException.class,
                () -> PredictiveImageCodec.encode(float32(1, 1, new float[1]), 1));
        assertTrue(real.getMessage().contains("near must be 0"), real.getMessage());
    }

    @Test
    void damagedStreamsAreRefusedNotMisread() throws Exception {
        Image ct = TestImages.ctSmall();
        byte[] stream = PredictiveImageCodec.encode(ct, 0);
        assertThrows(IllegalArgumentException.class,
                () -> PredictiveImageCodec.decode(Arrays.copyOf(stream, 10), ct.metadata()));
        assertThrows(IllegalArgumentException.class,
                () -> PredictiveImageCodec.decode(Arrays.copyOf(stream, stream.length - 1), ct.metadata()));
        byte[] wrongMagic = stream.clone();
        wrongMagic[0] = 'X';
        assertThrows(IllegalArgumentException.class, () -> PredictiveImageCodec.decode(wrongMagic, ct.metadata()));
        byte[] flipped = stream.clone();
        flipped[stream.length / 2] ^= 0x55;
        // A flipped bit in the coded data cannot be detected by the format, but decoding ends and stays in range.
        Image garbled = PredictiveImageCodec.decode(flipped, ct.metadata());
        assertEquals(ct.pixels().length(), garbled.pixels().length());
    }

    @Test
    void floatCodesKeepNumericOrder() {
        float[] ordered = { Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -1, -Float.MIN_VALUE, -0f, 0f,
                Float.MIN_VALUE, 1, Float.MAX_VALUE, Float.POSITIVE_INFINITY };
        for (int i = 1; i < ordered.length; i++) {
            assertTrue(SampleFormat.orderedCode(ordered[i - 1]) < SampleFormat.orderedCode(ordered[i]), "at " + i);
        }
        for (float f : ordered) {
            assertEquals(Float.floatToRawIntBits(f),
                    Float.floatToRawIntBits(SampleFormat.fromOrderedCode(SampleFormat.orderedCode(f))));
        }
    }
}

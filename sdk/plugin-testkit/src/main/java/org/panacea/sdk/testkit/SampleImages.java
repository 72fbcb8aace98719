package org.panacea.sdk.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;

/**
 * Inputs the engine may hand an algorithm: every pixel format (8-bit, 16-bit unsigned and signed, 32-bit float) in
 * sizes down to a single pixel and a single row or column, with CT-like metadata (spacing in mm, rescale to HU, a
 * window, a source instance UID). Content is a gradient with noise from a fixed seed, and every integer image holds
 * its type's extreme values, so overflow shows. The same call always gives the same images.
 */
public final class SampleImages {

    /** Width x height of the standard samples: a pixel, a column, a row, a few odd shapes, a small image. */
    private static final int[][] SIZES = { { 1, 1 }, { 1, 9 }, { 9, 1 }, { 2, 3 }, { 33, 17 }, { 64, 48 } };

    private SampleImages() {
    }

    /** Every format in every standard size: 24 images. */
    public static List<Image> standard() {
        List<Image> images = new ArrayList<>();
        long seed = 1;
        for (int[] size : SIZES) {
            images.add(gray8(size[0], size[1], seed++));
            images.add(gray16(size[0], size[1], false, seed++));
            images.add(gray16(size[0], size[1], true, seed++));
            images.add(float32(size[0], size[1], seed++));
        }
        return images;
    }

    /** A 2048x2048 signed 16-bit CT-like image: big enough that a call takes a while, to interrupt it. */
    public static Image large() {
        return gray16(2048, 2048, true, 2048);
    }

    /** Unsigned 8-bit samples (secondary capture, a mask), unitless. */
    public static Image gray8(int width, int height, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] values = new byte[width * height];
        for (int i = 0; i < values.length; i++) {
            values[i] = (byte) clamp(gradient(i, width, height, 255) + random.nextInt(-20, 21), 0, 255);
        }
        extremes(values.length, i -> values[i] = 0, i -> values[i] = (byte) 255);
        return new Image(width, height, new Pixels.Gray8(values),
                new ImageMetadata("OT", 0.5, 0.5, 1, 0, "", 128, 256, 8, uid(seed)));
    }

    /**
     * 16-bit samples: unsigned ones as a CT stores them (rescale intercept -1024 to HU), signed ones in
     * HU directly, with the extremes of the full 16-bit range.
     */
    public static Image gray16(int width, int height, boolean signed, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        short[] values = new short[width * height];
        int low = signed ? -1024 : 0;
        int span = signed ? 3000 : 4095;
        for (int i = 0; i < values.length; i++) {
            values[i] = (short) (low + clamp(gradient(i, width, height, span) + random.nextInt(-40, 41), 0, span));
        }
        if (signed) {
            extremes(values.length, i -> values[i] = Short.MIN_VALUE, i -> values[i] = Short.MAX_VALUE);
        } else {
            extremes(values.length, i -> values[i] = 0, i -> values[i] = (short) 0xFFFF);
        }
        ImageMetadata metadata = signed
                ? new ImageMetadata("CT", 0.7, 0.7, 1, 0, "HU", 40, 400, 16, uid(seed))
                : new ImageMetadata("CT", 0.7, 0.7, 1, -1024, "HU", 40, 400, 16, uid(seed));
        return new Image(width, height, new Pixels.Gray16(values, signed), metadata);
    }

    /** Real-valued samples around zero, as a filter's output would be. */
    public static Image float32(int width, int height, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[width * height];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (gradient(i, width, height, 2000) - 1000 + random.nextGaussian() * 25);
        }
        return new Image(width, height, new Pixels.Float32(values),
                new ImageMetadata("MR", 1.2, 0.9, 1, 0, "", Double.NaN, Double.NaN, 32, uid(seed)));
    }

    /** A copy with its own sample array, for checking that an algorithm left its input alone. */
    public static Image copyOf(Image image) {
        Pixels pixels = image.pixels();
        Pixels copy;
        if (pixels instanceof Pixels.Gray8 gray) {
            copy = new Pixels.Gray8(gray.values().clone());
        } else if (pixels instanceof Pixels.Gray16 gray) {
            copy = new Pixels.Gray16(gray.values().clone(), gray.signed());
        } else {
            copy = new Pixels.Float32(((Pixels.Float32) pixels).values().clone());
        }
        return new Image(image.width(), image.height(), copy, image.metadata());
    }

    /** A short description for messages: {@code Gray16 signed 33x17}. */
    public static String describe(Image image) {
        Pixels pixels = image.pixels();
        String format = pixels instanceof Pixels.Gray8 ? "Gray8"
                : pixels instanceof Pixels.Gray16 gray ? (gray.signed() ? "Gray16 signed" : "Gray16 unsigned")
                        : "Float32";
        return format + " " + image.width() + "x" + image.height();
    }

    private static int gradient(int i, int width, int height, int span) {
        int x = i % width;
        int y = i / width;
        double t = (double) (x + y) / Math.max(1, width + height - 2);
        return (int) Math.round(t * span);
    }

    private static int clamp(int value, int low, int high) {
        return Math.max(low, Math.min(high, value));
    }

    /** Puts the type's minimum at the first sample and its maximum at the last (the same one for a single pixel). */
    private static void extremes(int length, java.util.function.IntConsumer minimum,
            java.util.function.IntConsumer maximum) {
        minimum.accept(0);
        maximum.accept(length - 1);
    }

    /** A DICOM UID in the UUID-derived root 2.25, made from the seed. */
    private static String uid(long seed) {
        return "2.25." + (100000000000L + seed);
    }
}

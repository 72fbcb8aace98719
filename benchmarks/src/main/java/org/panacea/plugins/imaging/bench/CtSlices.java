package org.panacea.plugins.imaging.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;

import ij.process.ByteProcessor;
import ij.process.ShortProcessor;

/**
 * CT-like 16-bit benchmark slices made the same way in every run from the real CT_small (128x128): resampled
 * bilinearly to 512x512, tiled 4 x 4 for 2048x2048, each with seeded Gaussian noise of 10 stored units. Also
 * their ImageJ and OpenCV forms, and an 8-bit version (window 40/400 HU) for peers that take 8-bit only.
 */
final class CtSlices {

    private static final int SOURCE = 128;

    private CtSlices() {
    }

    /** A {@code size x size} slice; size 512 or a multiple of it. */
    static Image ct(int size) {
        short[] base = resampled(load(), SOURCE, 512);
        Random random = new Random(size);
        short[] stored = new short[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double v = base[(y % 512) * 512 + x % 512] + 10 * random.nextGaussian();
                stored[y * size + x] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
            }
        }
        return new Image(size, size, new Pixels.Gray16(stored, true),
                new ImageMetadata("CT", 0.165, 0.165, 1, -1024, "HU", 40, 400, 16, ""));
    }

    /** The same stored values marked unsigned (they are all positive). */
    static Image unsigned(Image image) {
        return new Image(image.width(), image.height(), new Pixels.Gray16(stored(image), false), image.metadata());
    }

    static short[] stored(Image image) {
        return ((Pixels.Gray16) image.pixels()).values();
    }

    /** The slice displayed with window 40/400 HU as 8 bits. */
    static Image display8(Image image) {
        short[] stored = stored(image);
        byte[] gray = new byte[stored.length];
        for (int i = 0; i < stored.length; i++) {
            double hu = stored[i] - 1024;
            gray[i] = (byte) Math.max(0, Math.min(255, Math.round((hu - (40 - 200)) * 255 / 400)));
        }
        return new Image(image.width(), image.height(), new Pixels.Gray8(gray), image.metadata());
    }

    static Mat mat(Image image) {
        Pixels pixels = image.pixels();
        if (pixels instanceof Pixels.Gray8 gray) {
            Mat mat = new Mat(image.height(), image.width(), CvType.CV_8U);
            mat.put(0, 0, gray.values());
            return mat;
        }
        Mat mat = new Mat(image.height(), image.width(), CvType.CV_16S);
        mat.put(0, 0, stored(image));
        return mat;
    }

    /** ImageJ's 16-bit processors are unsigned: CT's stored values (0..4095 here) are positive, so they fit. */
    static ShortProcessor imagej(Image image) {
        return new ShortProcessor(image.width(), image.height(), stored(image).clone(), null);
    }

    static ByteProcessor imagej8(Image image) {
        return new ByteProcessor(image.width(), image.height(), ((Pixels.Gray8) image.pixels()).values().clone());
    }

    private static short[] load() {
        try (InputStream in = CtSlices.class.getResourceAsStream("ct_small_int16le.raw")) {
            short[] values = new short[SOURCE * SOURCE];
            ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(values);
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static short[] resampled(short[] source, int from, int to) {
        short[] out = new short[to * to];
        double scale = (double) from / to;
        for (int y = 0; y < to; y++) {
            double sy = Math.max(0, Math.min(from - 1, (y + 0.5) * scale - 0.5));
            int y0 = (int) sy;
            int y1 = Math.min(from - 1, y0 + 1);
            double fy = sy - y0;
            for (int x = 0; x < to; x++) {
                double sx = Math.max(0, Math.min(from - 1, (x + 0.5) * scale - 0.5));
                int x0 = (int) sx;
                int x1 = Math.min(from - 1, x0 + 1);
                double fx = sx - x0;
                double top = source[y0 * from + x0] * (1 - fx) + source[y0 * from + x1] * fx;
                double bottom = source[y1 * from + x0] * (1 - fx) + source[y1 * from + x1] * fx;
                out[y * to + x] = (short) Math.round(top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }
}

package org.panacea.plugins.imaging.filters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;

/** The real test images, reference files and conversions to and from OpenCV and plain arrays. */
final class TestImages {

    private static boolean openCvLoaded;

    private TestImages() {
    }

    static synchronized void loadOpenCv() {
        if (!openCvLoaded) {
            nu.pattern.OpenCV.loadLocally();
            openCvLoaded = true;
        }
    }

    static byte[] resource(String path) throws IOException {
        try (InputStream in = TestImages.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("no test resource " + path);
            }
            return in.readAllBytes();
        }
    }

    /** CT_small, 128x128 signed 16-bit, HU = stored - 1024. */
    static Image ctSmall() throws IOException {
        return GaussianBlurTest.ctSmall();
    }

    /** A float64 little-endian reference file of CT_small's size. */
    static double[] ctReference(String name) throws IOException {
        double[] values = new double[128 * 128];
        ByteBuffer.wrap(resource("/ct_small/" + name)).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
        return values;
    }

    /** The 102x102 8-bit retina image (see resources/retina/README.md). */
    static Image retina() throws IOException {
        byte[] file = resource("/retina/microaneurysms.pgm");
        String header = "P5\n102 102\n255\n";
        if (!header.equals(new String(file, 0, header.length(), StandardCharsets.US_ASCII))) {
            throw new IOException("unexpected PGM header");
        }
        byte[] pixels = Arrays.copyOfRange(file, header.length(), file.length);
        ImageMetadata metadata = new ImageMetadata("OP", Double.NaN, Double.NaN, 1, 0, "", Double.NaN, Double.NaN, 8,
                "2.25.1");
        return new Image(102, 102, new Pixels.Gray8(pixels), metadata);
    }

    /** CT_small tiled to {@code width x height} plus seeded noise of +-noise: a large image for the banded paths. */
    static Image tiledCt(int width, int height, int noise, long seed) throws IOException {
        short[] ct = ((Pixels.Gray16) ctSmall().pixels()).values();
        short[] values = new short[width * height];
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = ct[(y % 128) * 128 + (x % 128)] + (noise == 0 ? 0 : random.nextInt(2 * noise + 1) - noise);
                values[y * width + x] = (short) v;
            }
        }
        return new Image(width, height, new Pixels.Gray16(values, true), ctSmall().metadata());
    }

    /** The samples as doubles (stored values). */
    static double[] samples(Image image) {
        Pixels pixels = image.pixels();
        double[] values = new double[pixels.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = pixels.sample(i);
        }
        return values;
    }

    static float[] floats(Image image) {
        return ((Pixels.Float32) image.pixels()).values();
    }

    /** The image with its stored values as 32-bit reals. */
    static Image asFloat(Image image) {
        double[] values = samples(image);
        float[] real = new float[values.length];
        for (int i = 0; i < real.length; i++) {
            real[i] = (float) values[i];
        }
        return new Image(image.width(), image.height(), new Pixels.Float32(real), image.metadata());
    }

    /** The image's stored values in an OpenCV matrix of the given type (values must fit). */
    static Mat mat(Image image, int type) {
        Mat real = new Mat(image.height(), image.width(), CvType.CV_64F);
        real.put(0, 0, samples(image));
        Mat out = new Mat();
        real.convertTo(out, type);
        return out;
    }

    /** An OpenCV matrix's values as doubles, row-major. */
    static double[] values(Mat mat) {
        Mat real = new Mat();
        mat.convertTo(real, CvType.CV_64F);
        double[] values = new double[(int) real.total()];
        real.get(0, 0, values);
        return values;
    }

    static double maxDifference(double[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    static double maxDifference(float[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    /** Dice coefficient of two masks (non-zero = inside). */
    static double dice(byte[] a, byte[] b) {
        long both = 0;
        long inA = 0;
        long inB = 0;
        for (int i = 0; i < a.length; i++) {
            boolean x = a[i] != 0;
            boolean y = b[i] != 0;
            inA += x ? 1 : 0;
            inB += y ? 1 : 0;
            both += x && y ? 1 : 0;
        }
        return inA + inB == 0 ? 1 : 2.0 * both / (inA + inB);
    }
}

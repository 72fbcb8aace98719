package org.panacea.plugins.imaging.enhancement;

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

/** The real test images and conversions to and from OpenCV. */
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

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = TestImages.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("no test resource " + path);
            }
            return in.readAllBytes();
        }
    }

    /** CT_small, 128x128 signed 16-bit, HU = stored - 1024. */
    static Image ctSmall() throws IOException {
        short[] stored = new short[128 * 128];
        ByteBuffer.wrap(resource("/ct_small/input_int16_le.raw")).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer()
                .get(stored);
        ImageMetadata metadata = new ImageMetadata("CT", 0.661468, 0.661468, 1, -1024, "HU", 40, 400, 16,
                "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322");
        return new Image(128, 128, new Pixels.Gray16(stored, true), metadata);
    }

    /** The 102x102 8-bit retina image (see resources/retina/README.md). */
    static Image retina() throws IOException {
        byte[] file = resource("/retina/microaneurysms.pgm");
        String header = "P5\n102 102\n255\n";
        if (!header.equals(new String(file, 0, header.length(), StandardCharsets.US_ASCII))) {
            throw new IOException("unexpected PGM header");
        }
        byte[] pixels = Arrays.copyOfRange(file, header.length(), file.length);
        return new Image(102, 102, new Pixels.Gray8(pixels),
                new ImageMetadata("OP", 0.01, 0.01, 1, 0, "", Double.NaN, Double.NaN, 8, "2.25.1"));
    }

    /** An image tiled from {@code tile} to {@code width x height} plus seeded noise of +-noise, clamped to 0..max. */
    static Image tiled(Image tile, int width, int height, int noise, int max, long seed) {
        double[] source = samples(tile);
        Random random = new Random(seed);
        short[] values = new short[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = source[(y % tile.height()) * tile.width() + x % tile.width()]
                        + (noise == 0 ? 0 : random.nextInt(2 * noise + 1) - noise);
                values[y * width + x] = (short) Math.max(0, Math.min(max, v));
            }
        }
        return new Image(width, height, new Pixels.Gray16(values, true), tile.metadata());
    }

    static double[] samples(Image image) {
        Pixels pixels = image.pixels();
        double[] values = new double[pixels.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = pixels.sample(i);
        }
        return values;
    }

    /** The same stored values in another pixel type: Gray8, Gray16 (signed or not) or Float32. */
    static Image as(Image image, String type) {
        double[] values = samples(image);
        int n = values.length;
        Pixels pixels;
        switch (type) {
            case "gray8": {
                byte[] out = new byte[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (byte) values[i];
                }
                pixels = new Pixels.Gray8(out);
                break;
            }
            case "signed": case "unsigned": {
                short[] out = new short[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (short) values[i];
                }
                pixels = new Pixels.Gray16(out, type.equals("signed"));
                break;
            }
            default: {
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (float) values[i];
                }
                pixels = new Pixels.Float32(out);
            }
        }
        return new Image(image.width(), image.height(), pixels, image.metadata());
    }

    static Mat mat(Image image, int type) {
        Mat real = new Mat(image.height(), image.width(), CvType.CV_64F);
        real.put(0, 0, samples(image));
        Mat out = new Mat();
        real.convertTo(out, type);
        return out;
    }

    static double[] values(Mat mat) {
        Mat real = new Mat();
        mat.convertTo(real, CvType.CV_64F);
        double[] values = new double[(int) real.total()];
        real.get(0, 0, values);
        return values;
    }

    /** {count of differing samples, largest difference}. */
    static double[] compare(double[] expected, double[] actual) {
        double differing = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double difference = Math.abs(expected[i] - actual[i]);
            differing += difference > 0 ? 1 : 0;
            worst = Math.max(worst, difference);
        }
        return new double[] { differing, worst };
    }
}

package org.panacea.plugins.imaging.frequency;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;

/** The resources of {@code ct_small/} (see their README). */
final class CtSmall {

    static final int SIZE = 128;
    static final double SPACING = 0.661468;

    private CtSmall() {
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = CtSmall.class.getResourceAsStream("/ct_small/" + name)) {
            if (in == null) {
                throw new IOException("no test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    static short[] stored() throws IOException {
        short[] stored = new short[SIZE * SIZE];
        ByteBuffer.wrap(resource("input_int16_le.raw")).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(stored);
        return stored;
    }

    static Image image() throws IOException {
        return new Image(SIZE, SIZE, new Pixels.Gray16(stored(), true),
                new ImageMetadata("CT", SPACING, SPACING, 1, -1024, "HU", 40, 400, 16,
                        "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"));
    }

    /** NumPy's {@code abs(fft2(stored))}, float64, frequency 0 at the top-left. */
    static double[] referenceMagnitude() throws IOException {
        double[] magnitude = new double[SIZE * SIZE];
        ByteBuffer.wrap(resource("fft2_magnitude_unnormalized_f64le.raw")).order(ByteOrder.LITTLE_ENDIAN)
                .asDoubleBuffer().get(magnitude);
        return magnitude;
    }
}

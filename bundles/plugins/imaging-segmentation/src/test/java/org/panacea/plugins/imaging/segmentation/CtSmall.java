package org.panacea.plugins.imaging.segmentation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.stream.Collectors;

import org.panacea.api.imaging.Finding;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;

import ij.ImagePlus;
import ij.measure.Calibration;
import ij.process.ShortProcessor;

/** The real CT_small image (see the resources' README), for Panacea and for ImageJ. */
final class CtSmall {

    static final int SIZE = 128;
    static final double SPACING = 0.661468;

    static {
        // ImageJ is used as a library here: no windows.
        System.setProperty("java.awt.headless", "true");
    }

    private CtSmall() {
    }

    static short[] stored() throws IOException {
        try (InputStream in = CtSmall.class.getResourceAsStream("/ct_small/input_int16_le.raw")) {
            short[] stored = new short[SIZE * SIZE];
            ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(stored);
            return stored;
        }
    }

    static Image image() throws IOException {
        return new Image(SIZE, SIZE, new Pixels.Gray16(stored(), true),
                new ImageMetadata("CT", SPACING, SPACING, 1, -1024, "HU", Double.NaN, Double.NaN, 16,
                        "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"));
    }

    /**
     * The same pixels as ImageJ sees a CT: a 16-bit processor of the stored values (all positive in CT_small)
     * calibrated to HU by ImageJ's straight-line function and to mm by the pixel spacing.
     */
    static ImagePlus imageJ(short[] stored, int width, int height) {
        ImagePlus imp = new ImagePlus("CT_small", new ShortProcessor(width, height, stored.clone(), null));
        Calibration calibration = imp.getCalibration();
        calibration.pixelWidth = SPACING;
        calibration.pixelHeight = SPACING;
        calibration.setUnit("mm");
        calibration.setFunction(Calibration.STRAIGHT_LINE, new double[] { -1024, 1 }, "HU");
        return imp;
    }

    static Map<String, Double> values(Finding finding) {
        return finding.measurements().stream().collect(Collectors.toMap(Measurement::name, Measurement::value));
    }

    static Map<String, Measurement> byName(java.util.List<Measurement> measurements) {
        return measurements.stream().collect(Collectors.toMap(Measurement::name, m -> m));
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

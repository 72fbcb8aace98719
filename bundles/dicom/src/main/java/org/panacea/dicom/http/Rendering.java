package org.panacea.dicom.http;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.Pixels;

/**
 * A frame rendered for display: stored values rescaled to their unit (HU for CT), then the DICOM linear VOI window
 * (PS3.3 C.11.2.1.2) to 8-bit grey. Without a window in the request or the file, the frame's own range is used.
 */
final class Rendering {

    private Rendering() {
    }

    static BufferedImage render(Image image, Double center, Double width) {
        Pixels pixels = image.pixels();
        double slope = image.metadata().rescaleSlope();
        double intercept = image.metadata().rescaleIntercept();
        double c = center != null ? center : image.metadata().windowCenter();
        double w = width != null ? width : image.metadata().windowWidth();
        if (!Double.isFinite(c) || !Double.isFinite(w) || w < 1) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < pixels.length(); i++) {
                double value = pixels.sample(i) * slope + intercept;
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
            w = Math.max(1, max - min + 1);
            c = min + w / 2 - 0.5;
        }
        BufferedImage rendered = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) rendered.getRaster().getDataBuffer()).getData();
        double low = c - 0.5 - (w - 1) / 2;
        double high = c - 0.5 + (w - 1) / 2;
        for (int i = 0; i < out.length; i++) {
            double value = pixels.sample(i) * slope + intercept;
            int grey;
            if (value <= low) {
                grey = 0;
            } else if (value > high) {
                grey = 255;
            } else {
                grey = (int) Math.round(((value - (c - 0.5)) / (w - 1) + 0.5) * 255);
            }
            out[i] = (byte) Math.max(0, Math.min(255, grey));
        }
        return rendered;
    }
}

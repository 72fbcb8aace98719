package org.panacea.dicom.http;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

import org.panacea.api.imaging.Image;
import org.panacea.plugins.support.display.GreyscaleDisplay;

/**
 * A frame rendered for display as an 8-bit grey PNG, by the display function the window/level plugin shares
 * ({@link GreyscaleDisplay}): stored values rescaled to their unit (HU for CT), the DICOM linear VOI window (PS3.3
 * C.11.2.1.2), and MONOCHROME1 images inverted so that they show the right way round. Without a window in the
 * request or the file, the frame's own range is used.
 */
final class Rendering {

    private Rendering() {
    }

    static BufferedImage render(Image image, Double center, Double width) {
        byte[] grey = GreyscaleDisplay.render(image, GreyscaleDisplay.window(image, center, width));
        BufferedImage rendered = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) rendered.getRaster().getDataBuffer()).getData();
        System.arraycopy(grey, 0, out, 0, out.length);
        return rendered;
    }
}

package org.panacea.plugins.imaging.enhancement;

import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;

/**
 * The metadata of an enhanced image. Its values are display values, no longer the input's physical units (HU), so
 * the rescale becomes the identity and the input's window is dropped; modality, spacing and source instance are
 * kept, and bits stored becomes the pixel type's depth (the output may use the type's whole range).
 */
final class DisplayMetadata {

    private DisplayMetadata() {
    }

    static ImageMetadata of(ImageMetadata in, Pixels pixels) {
        int bits = pixels instanceof Pixels.Gray8 ? 8 : pixels instanceof Pixels.Gray16 ? 16 : 32;
        return new ImageMetadata(in.modality(), in.rowSpacing(), in.columnSpacing(), 1, 0, "", Double.NaN,
                Double.NaN, bits, in.sourceInstanceUid());
    }
}

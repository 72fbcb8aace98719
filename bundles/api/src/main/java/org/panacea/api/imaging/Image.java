package org.panacea.api.imaging;

import java.util.Objects;

/**
 * One grey-scale frame with its metadata. A multi-frame image is handed to algorithms one frame at a time.
 *
 * @param width    columns, at least 1
 * @param height   rows, at least 1
 * @param pixels   {@code width * height} samples
 * @param metadata spacing, rescale and window
 */
public record Image(int width, int height, Pixels pixels, ImageMetadata metadata) {

    public Image {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(metadata, "metadata");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size " + width + "x" + height + " is empty");
        }
        if ((long) width * height != pixels.length()) {
            throw new IllegalArgumentException("image " + width + "x" + height + " needs " + (long) width * height
                    + " samples, has " + pixels.length());
        }
    }
}

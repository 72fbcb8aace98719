package org.panacea.plugins.imaging.filters;

import org.panacea.api.imaging.ImageMetadata;

/** The metadata of a filter's output: the input's, changed only where the output's values mean something else. */
final class OutputMetadata {

    private OutputMetadata() {
    }

    /** Real-valued output in the input's units (smoothing): everything kept, 32 bits stored. */
    static ImageMetadata real(ImageMetadata in) {
        return new ImageMetadata(in.modality(), in.rowSpacing(), in.columnSpacing(), in.rescaleSlope(),
                in.rescaleIntercept(), in.rescaleUnit(), in.windowCenter(), in.windowWidth(), 32,
                in.sourceInstanceUid());
    }

    /**
     * Real-valued differences of the input's values (derivatives): the rescale intercept cancels, so it is 0 and
     * the slope kept ({@code |slope|} when {@code magnitude}); the display window no longer applies.
     */
    static ImageMetadata difference(ImageMetadata in, boolean magnitude) {
        double slope = magnitude ? Math.abs(in.rescaleSlope()) : in.rescaleSlope();
        return new ImageMetadata(in.modality(), in.rowSpacing(), in.columnSpacing(), slope, 0, in.rescaleUnit(),
                Double.NaN, Double.NaN, 32, in.sourceInstanceUid());
    }

    /** An 8-bit 0/255 mask: no rescale, no window. */
    static ImageMetadata mask(ImageMetadata in) {
        return new ImageMetadata(in.modality(), in.rowSpacing(), in.columnSpacing(), 1, 0, "", Double.NaN,
                Double.NaN, 8, in.sourceInstanceUid());
    }
}

package org.panacea.plugins.imaging.segmentation;

import org.panacea.api.imaging.ImageMetadata;

/** UCUM units for what the segmentation plugins report. */
final class Units {

    static final String MM = "mm";
    static final String MM2 = "mm2";
    static final String PIXEL = "{pixel}";

    private Units() {
    }

    /** The UCUM form of the image's rescale unit ({@code HU} is {@code [hnsf'U]}). */
    static String rescaled(ImageMetadata metadata) {
        return "HU".equals(metadata.rescaleUnit()) ? "[hnsf'U]" : metadata.rescaleUnit();
    }

    /** {@code true} when both pixel spacings are known, so lengths and areas can be given in mm. */
    static boolean hasSpacing(ImageMetadata metadata) {
        return metadata.rowSpacing() > 0 && metadata.columnSpacing() > 0;
    }

    /**
     * The metadata of a mask or label image made from {@code source}: same modality, spacing and source instance,
     * no rescale and no window (its values are classes, not measurements).
     */
    static ImageMetadata classes(ImageMetadata source, int bitsStored) {
        return new ImageMetadata(source.modality(), source.rowSpacing(), source.columnSpacing(), 1, 0, "",
                Double.NaN, Double.NaN, bitsStored, source.sourceInstanceUid());
    }
}

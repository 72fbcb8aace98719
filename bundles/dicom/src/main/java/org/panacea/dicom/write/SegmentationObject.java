package org.panacea.dicom.write;

import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.Pixels;
import org.panacea.dicom.read.Vr;

/**
 * A mask as a BINARY Segmentation (PS3.3 A.51, C.8.20): one segment, one frame of 1-bit samples packed eight to a
 * byte, least significant bit first (PS3.5 8.1.1), the segment labelled with the algorithm's name and identified by
 * its id and version (Segment Algorithm Name), typed as tissue since a threshold says nothing more specific.
 */
final class SegmentationObject {

    private SegmentationObject() {
    }

    static DataSet dataset(DerivedModules modules, Image image) {
        DataSet data = modules.common("SEG", "SEGMENTATION", false, "DERIVED", "PRIMARY");
        var derivation = modules.derivation();
        data.unsignedShorts(Tag.BITS_ALLOCATED, 1).unsignedShorts(Tag.BITS_STORED, 1)
                .unsignedShorts(Tag.HIGH_BIT, 0).unsignedShorts(Tag.PIXEL_REPRESENTATION, 0)
                .text(Tag.LOSSY_IMAGE_COMPRESSION, Vr.CS, "00")
                .text(Tag.SEGMENTATION_TYPE, Vr.CS, "BINARY")
                .text(Tag.SEGMENTS_OVERLAP, Vr.CS, "NO");
        String name = derivation.algorithmName().isEmpty() ? derivation.algorithmId() : derivation.algorithmName();
        DataSet tissue = DataSet.code("85756007", "SCT", "Tissue");
        data.sequence(Tag.SEGMENT_SEQUENCE, new DataSet()
                .sequence(Tag.SEGMENTED_PROPERTY_CATEGORY_CODE_SEQUENCE, tissue)
                .unsignedShorts(Tag.SEGMENT_NUMBER, 1)
                .text(Tag.SEGMENT_LABEL, Vr.LO, DataSet.fit(name, 64))
                .text(Tag.SEGMENT_DESCRIPTION, Vr.ST, DataSet.fit(derivation.describe(), 1024))
                .text(Tag.SEGMENT_ALGORITHM_TYPE, Vr.CS, "AUTOMATIC")
                .text(Tag.SEGMENT_ALGORITHM_NAME, Vr.LO, DataSet.fit(derivation.algorithmId() + " "
                        + derivation.algorithmVersion(), 64))
                .sequence(Tag.SEGMENTED_PROPERTY_TYPE_CODE_SEQUENCE, DataSet.code("85756007", "SCT", "Tissue")));
        boolean placed = modules.onSourceGrid();
        modules.dimensions(data, placed
                ? new int[][] { { Tag.REFERENCED_SEGMENT_NUMBER, Tag.SEGMENT_IDENTIFICATION_SEQUENCE },
                        { Tag.IMAGE_POSITION_PATIENT, Tag.PLANE_POSITION_SEQUENCE } }
                : new int[][] { { Tag.REFERENCED_SEGMENT_NUMBER, Tag.SEGMENT_IDENTIFICATION_SEQUENCE } },
                placed ? new String[] { "ReferencedSegmentNumber", "ImagePositionPatient" }
                        : new String[] { "ReferencedSegmentNumber" });
        data.sequence(Tag.SHARED_FUNCTIONAL_GROUPS_SEQUENCE, modules.sharedGroups(false));
        DataSet frame = placed ? modules.frameGroups(DataSet.code("113076", "DCM", "Segmentation"), false, 1, 1)
                : modules.frameGroups(DataSet.code("113076", "DCM", "Segmentation"), false, 1);
        frame.sequence(Tag.SEGMENT_IDENTIFICATION_SEQUENCE, new DataSet()
                .unsignedShorts(Tag.REFERENCED_SEGMENT_NUMBER, 1));
        data.sequence(Tag.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE, frame);
        data.binary(Tag.PIXEL_DATA, Vr.OB, packBits(((Pixels.Gray8) image.pixels()).values()));
        return data;
    }

    /** Sample {@code k} non-zero sets bit {@code k % 8} of byte {@code k / 8}. */
    static byte[] packBits(byte[] mask) {
        byte[] packed = new byte[(mask.length + 7) / 8];
        for (int k = 0; k < mask.length; k++) {
            if (mask[k] != 0) {
                packed[k >>> 3] |= (byte) (1 << (k & 7));
            }
        }
        return packed;
    }
}

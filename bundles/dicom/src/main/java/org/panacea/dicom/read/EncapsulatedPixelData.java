package org.panacea.dicom.read;

import java.io.IOException;

/** What every encapsulated (compressed) pixel data element starts with (PS3.5 A.4). */
final class EncapsulatedPixelData {

    private static final long UNDEFINED = 0xFFFFFFFFL;

    private EncapsulatedPixelData() {
    }

    /**
     * Reads past the Basic Offset Table item that opens the fragments, checking it is one. The table itself is not
     * needed: frames are found from the fragments.
     */
    static void skipOffsetTable(DicomInput in) throws IOException {
        long tableOffset = in.position();
        int tag = in.tag(Tags.PIXEL_DATA);
        long tableLength = in.u32(Tags.PIXEL_DATA);
        if (tag != Tags.ITEM) {
            throw in.error("encapsulated pixel data must start with the Basic Offset Table item (FFFE,E000), found "
                    + Tags.format(tag), Tags.PIXEL_DATA, tableOffset);
        }
        if (tableLength == UNDEFINED || tableLength % 4 != 0) {
            throw in.error("Basic Offset Table length " + tableLength + " is not a multiple of 4", Tags.PIXEL_DATA,
                    tableOffset);
        }
        in.requireAvailable(tableLength, Tags.PIXEL_DATA, tableOffset);
        in.skip(tableLength, Tags.PIXEL_DATA);
    }
}

package org.panacea.dicom.dimse;

/** DIMSE status codes (PS3.7 Annex C, PS3.4 B.2.3, C.4). */
final class Status {

    static final int SUCCESS = 0x0000;
    static final int PENDING = 0xFF00;
    static final int CANCELLED = 0xFE00;
    /** Refused: not authorized (PS3.7 C.5.21). */
    static final int NOT_AUTHORIZED = 0x0124;
    static final int UNRECOGNIZED_OPERATION = 0x0211;
    static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    /** C-STORE: refused, out of resources. */
    static final int OUT_OF_RESOURCES = 0xA700;
    /** C-STORE: error, data set does not match SOP class. */
    static final int DATA_SET_DOES_NOT_MATCH = 0xA900;
    /** C-STORE warning (PS3.4 B.2.3): stored, but the data set does not match its SOP class in some value. */
    static final int STORED_WITH_INVALID_VALUES = 0xB007;
    /** C-STORE: error, cannot understand. */
    static final int CANNOT_UNDERSTAND = 0xC000;
    /** C-FIND: identifier does not match SOP class (an unsupported matching key or level). */
    static final int IDENTIFIER_DOES_NOT_MATCH = 0xA900;
    /** C-FIND: unable to process. */
    static final int UNABLE_TO_PROCESS = 0xC000;
    /** C-FIND, C-MOVE: refused, out of resources. */
    static final int QUERY_OUT_OF_RESOURCES = 0xA700;

    private Status() {
    }
}

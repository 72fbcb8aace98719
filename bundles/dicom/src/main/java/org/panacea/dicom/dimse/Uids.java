package org.panacea.dicom.dimse;

import java.util.List;

/** The SOP classes and transfer syntaxes the service negotiates (PS3.4, PS3.6 Annex A). */
final class Uids {

    static final String VERIFICATION = "1.2.840.10008.1.1";
    /** Every storage SOP class lives under this root (PS3.4 B.5, PS3.6 Annex A). */
    static final String STORAGE_ROOT = "1.2.840.10008.5.1.4.1.1.";
    static final String PATIENT_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.1.1";
    static final String STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1";
    /** Storage Commitment Push Model (PS3.4 J.3). */
    static final String STORAGE_COMMITMENT = "1.2.840.10008.1.20.1";
    static final String PATIENT_ROOT_MOVE = "1.2.840.10008.5.1.4.1.2.1.2";
    static final String STUDY_ROOT_MOVE = "1.2.840.10008.5.1.4.1.2.2.2";
    static final String PATIENT_ROOT_GET = "1.2.840.10008.5.1.4.1.2.1.3";
    static final String STUDY_ROOT_GET = "1.2.840.10008.5.1.4.1.2.2.3";

    static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";

    /**
     * The transfer syntaxes C-STORE takes, in the order this side prefers them: those the bundle's reader decodes
     * (org.panacea.dicom.read.TransferSyntax). A data set in any of them is stored as received.
     */
    static final List<String> STORAGE_TRANSFER_SYNTAXES = List.of(EXPLICIT_VR_LITTLE_ENDIAN,
            IMPLICIT_VR_LITTLE_ENDIAN, "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.50",
            "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.5",
            "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2");

    /** Command sets, C-ECHO and query identifiers: the uncompressed little endian syntaxes. */
    static final List<String> UNCOMPRESSED = List.of(EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN);

    /** Panacea's implementation class UID (a UUID-derived UID under 2.25, PS3.5 B.2) and version name. */
    static final String IMPLEMENTATION_CLASS_UID = "2.25.211739480329751632418357921405118365377";
    static final String IMPLEMENTATION_VERSION = "PANACEA_0_1";

    private Uids() {
    }

    static boolean storage(String sopClass) {
        return sopClass.startsWith(STORAGE_ROOT);
    }
}

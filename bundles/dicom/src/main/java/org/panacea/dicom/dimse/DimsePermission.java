package org.panacea.dicom.dimse;

import java.util.Locale;

/**
 * What a configured peer may ask of the archive: a modality stores (C-STORE, Storage Commitment), a PACS or a
 * workstation queries (C-FIND) and retrieves (C-MOVE, C-GET). C-ECHO needs none.
 */
enum DimsePermission {
    STORE, QUERY, RETRIEVE;

    static DimsePermission parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown DICOM permission '" + text.strip()
                    + "': use store, query or retrieve");
        }
    }
}

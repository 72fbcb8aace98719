package org.panacea.dicom.net;

import java.util.List;

/**
 * An A-ASSOCIATE-AC (PS3.8 9.3.3): the answer to each proposed context, the largest PDU the acceptor receives, its
 * implementation identity and the role selections it agrees to.
 */
public record AssociationAccept(String calledAeTitle, String callingAeTitle,
        List<PresentationContextResult> results, long maxPduLength, String implementationClassUid,
        String implementationVersion, List<RoleSelection> roleSelections) {

    public AssociationAccept {
        results = List.copyOf(results);
        roleSelections = List.copyOf(roleSelections);
    }

    /** The accepted context with this id, or {@code null}. */
    public PresentationContextResult accepted(int id) {
        for (PresentationContextResult result : results) {
            if (result.id() == id && result.accepted()) {
                return result;
            }
        }
        return null;
    }
}

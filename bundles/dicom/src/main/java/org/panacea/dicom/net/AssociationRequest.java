package org.panacea.dicom.net;

import java.util.List;

/**
 * An A-ASSOCIATE-RQ as received (PS3.8 9.3.2), every field checked for form by {@link AssociationCodec}. The AE
 * titles are what the peer claims: only configuration makes them mean anything.
 *
 * @param calledAeTitle          the AE title the peer wants to reach, trimmed
 * @param callingAeTitle         the AE title the peer claims, trimmed
 * @param applicationContext     the application context name (the DICOM one is 1.2.840.10008.3.1.1.1)
 * @param presentationContexts   the proposed contexts in order
 * @param maxPduLength           the largest P-DATA PDU the peer receives (0: no limit)
 * @param implementationClassUid the peer's implementation class UID
 * @param implementationVersion  the peer's implementation version name, or empty
 * @param roleSelections         the role selections proposed
 */
public record AssociationRequest(String calledAeTitle, String callingAeTitle, String applicationContext,
        List<PresentationContext> presentationContexts, long maxPduLength, String implementationClassUid,
        String implementationVersion, List<RoleSelection> roleSelections) {

    /** The DICOM application context name. */
    public static final String DICOM_APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    public AssociationRequest {
        presentationContexts = List.copyOf(presentationContexts);
        roleSelections = List.copyOf(roleSelections);
    }

    /** The role selection proposed for {@code sopClass}, or {@code null}. */
    public RoleSelection roleSelection(String sopClass) {
        for (RoleSelection selection : roleSelections) {
            if (selection.sopClass().equals(sopClass)) {
                return selection;
            }
        }
        return null;
    }
}

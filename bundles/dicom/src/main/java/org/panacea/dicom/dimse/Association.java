package org.panacea.dicom.dimse;

import java.util.Set;

import org.panacea.api.security.Caller;
import org.panacea.dicom.net.AssociationAccept;
import org.panacea.dicom.net.MessageChannel;
import org.panacea.dicom.net.PduOutput;

/**
 * An established association as the service classes see it: who the peer is (its configured AE title, address,
 * caller and permissions), what was accepted (and the storage SOP classes for which the peer took the SCP role,
 * which C-GET sends on), and the channel its messages come and go on.
 */
record Association(String callingAeTitle, String address, Caller caller, Set<DimsePermission> permissions,
        AssociationAccept accept, Set<String> peerScpClasses, MessageChannel channel, PduOutput out) {
}

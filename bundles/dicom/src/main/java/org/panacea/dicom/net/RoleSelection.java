package org.panacea.dicom.net;

/**
 * SCP/SCU role selection for one SOP class (PS3.7 D.3.3.4): whether the requestor asks to act as SCU and as SCP.
 * C-GET needs the retrieving peer to act as the storage SCP of the classes it retrieves.
 */
public record RoleSelection(String sopClass, boolean scu, boolean scp) {
}

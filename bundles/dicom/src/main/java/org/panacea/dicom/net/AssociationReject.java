package org.panacea.dicom.net;

/**
 * An A-ASSOCIATE-RJ (PS3.8 9.3.4): permanent or transient, by whom and why.
 */
public record AssociationReject(int result, int source, int reason) {

    public static final int PERMANENT = 1;
    public static final int TRANSIENT = 2;
    /** Source: the DICOM UL service user (the application: AE titles, application context). */
    public static final int SERVICE_USER = 1;
    /** Source: the service provider, presentation related function (limits, congestion). */
    public static final int SERVICE_PROVIDER_PRESENTATION = 3;
    public static final int NO_REASON = 1;
    public static final int APPLICATION_CONTEXT_NOT_SUPPORTED = 2;
    public static final int CALLING_AE_NOT_RECOGNIZED = 3;
    public static final int CALLED_AE_NOT_RECOGNIZED = 7;
    /** With {@link #SERVICE_PROVIDER_PRESENTATION}: too many associations. */
    public static final int LOCAL_LIMIT_EXCEEDED = 2;

    /** The calling AE title is not configured (or not from that host): permanent. */
    public static AssociationReject callingAeNotRecognized() {
        return new AssociationReject(PERMANENT, SERVICE_USER, CALLING_AE_NOT_RECOGNIZED);
    }

    /** The called AE title is not this archive's: permanent. */
    public static AssociationReject calledAeNotRecognized() {
        return new AssociationReject(PERMANENT, SERVICE_USER, CALLED_AE_NOT_RECOGNIZED);
    }

    /** Too many associations at once: transient, try again later. */
    public static AssociationReject localLimitExceeded() {
        return new AssociationReject(TRANSIENT, SERVICE_PROVIDER_PRESENTATION, LOCAL_LIMIT_EXCEEDED);
    }
}

package org.panacea.dicom.net;

/**
 * One protocol data unit as read from the wire (PS3.8 9.3.1): its type and its body, the bytes after the six-byte
 * header.
 */
public record Pdu(int type, byte[] body) {

    public static final int ASSOCIATE_RQ = 0x01;
    public static final int ASSOCIATE_AC = 0x02;
    public static final int ASSOCIATE_RJ = 0x03;
    public static final int P_DATA_TF = 0x04;
    public static final int RELEASE_RQ = 0x05;
    public static final int RELEASE_RP = 0x06;
    public static final int ABORT = 0x07;

    /** A name for messages. */
    public static String name(int type) {
        return switch (type) {
            case ASSOCIATE_RQ -> "A-ASSOCIATE-RQ";
            case ASSOCIATE_AC -> "A-ASSOCIATE-AC";
            case ASSOCIATE_RJ -> "A-ASSOCIATE-RJ";
            case P_DATA_TF -> "P-DATA-TF";
            case RELEASE_RQ -> "A-RELEASE-RQ";
            case RELEASE_RP -> "A-RELEASE-RP";
            case ABORT -> "A-ABORT";
            default -> String.format("unknown PDU type 0x%02X", type);
        };
    }
}

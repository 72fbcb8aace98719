package org.panacea.dicom.dimse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A DIMSE command set (PS3.7 9.3, E.1): group 0000 elements, always in implicit VR little endian. Decoding keeps
 * each element's raw value and refuses what cannot be a command set (an element outside group 0000, a length that
 * runs past the end); the accessors read US and UI/AE/LO values. Mutable, not thread-safe: one message at a time.
 */
final class CommandSet {

    static final int AFFECTED_SOP_CLASS_UID = 0x0000_0002;
    static final int REQUESTED_SOP_CLASS_UID = 0x0000_0003;
    static final int COMMAND_FIELD = 0x0000_0100;
    static final int MESSAGE_ID = 0x0000_0110;
    static final int MESSAGE_ID_BEING_RESPONDED_TO = 0x0000_0120;
    static final int MOVE_DESTINATION = 0x0000_0600;
    static final int PRIORITY = 0x0000_0700;
    static final int COMMAND_DATA_SET_TYPE = 0x0000_0800;
    static final int STATUS = 0x0000_0900;
    static final int OFFENDING_ELEMENT = 0x0000_0901;
    static final int ERROR_COMMENT = 0x0000_0902;
    static final int AFFECTED_SOP_INSTANCE_UID = 0x0000_1000;
    static final int REQUESTED_SOP_INSTANCE_UID = 0x0000_1001;
    static final int EVENT_TYPE_ID = 0x0000_1002;
    static final int ACTION_TYPE_ID = 0x0000_1008;
    static final int REMAINING_SUB_OPERATIONS = 0x0000_1020;
    static final int COMPLETED_SUB_OPERATIONS = 0x0000_1021;
    static final int FAILED_SUB_OPERATIONS = 0x0000_1022;
    static final int WARNING_SUB_OPERATIONS = 0x0000_1023;
    static final int MOVE_ORIGINATOR_AE_TITLE = 0x0000_1030;
    static final int MOVE_ORIGINATOR_MESSAGE_ID = 0x0000_1031;

    /** Command Data Set Type (0000,0800) meaning "no data set follows". */
    static final int NO_DATA_SET = 0x0101;

    private static final int GROUP_LENGTH = 0x0000_0000;
    /** Elements holding an unsigned short (US). */
    private static final java.util.Set<Integer> SHORTS = java.util.Set.of(COMMAND_FIELD, MESSAGE_ID,
            MESSAGE_ID_BEING_RESPONDED_TO, PRIORITY, COMMAND_DATA_SET_TYPE, STATUS, EVENT_TYPE_ID, ACTION_TYPE_ID,
            REMAINING_SUB_OPERATIONS, COMPLETED_SUB_OPERATIONS, FAILED_SUB_OPERATIONS, WARNING_SUB_OPERATIONS,
            MOVE_ORIGINATOR_MESSAGE_ID);

    private final Map<Integer, byte[]> elements = new TreeMap<>(Integer::compareUnsigned);

    /** Parses a command set. */
    static CommandSet decode(byte[] bytes) {
        CommandSet command = new CommandSet();
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            if (in.remaining() < 8) {
                throw new IllegalArgumentException("the command set ends inside an element header");
            }
            int group = in.getShort() & 0xFFFF;
            int element = in.getShort() & 0xFFFF;
            long length = in.getInt() & 0xFFFFFFFFL;
            if (group != 0) {
                throw new IllegalArgumentException(String.format("the command set holds element (%04X,%04X), outside "
                        + "group 0000", group, element));
            }
            if (length > in.remaining()) {
                throw new IllegalArgumentException(String.format("command element (0000,%04X) of %d bytes runs past "
                        + "the end of the command set", element, length));
            }
            byte[] value = new byte[(int) length];
            in.get(value);
            command.elements.put(element, value);
        }
        return command;
    }

    /** Encodes the command set, with its group length first. */
    byte[] encode() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<Integer, byte[]> element : elements.entrySet()) {
            if (element.getKey() != GROUP_LENGTH) {
                header(body, element.getKey(), element.getValue().length);
                body.writeBytes(element.getValue());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        header(out, GROUP_LENGTH, 4);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(body.size()).array());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void header(ByteArrayOutputStream out, int tag, int length) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) (tag >>> 16))
                .putShort((short) tag).putInt(length).array());
    }

    boolean has(int tag) {
        return elements.containsKey(tag);
    }

    /** An US value, or {@code fallback} when absent. */
    int uint16Or(int tag, int fallback) {
        byte[] value = elements.get(tag);
        if (value == null) {
            return fallback;
        }
        if (value.length != 2) {
            throw new IllegalArgumentException(String.format("command element (0000,%04X) must be 2 bytes, was %d",
                    tag, value.length));
        }
        return (value[0] & 0xFF) | (value[1] & 0xFF) << 8;
    }

    /** A text value (UI, AE, LO) without its padding, or {@code null} when absent. */
    String text(int tag) {
        byte[] value = elements.get(tag);
        if (value == null) {
            return null;
        }
        String text = new String(value, StandardCharsets.US_ASCII);
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\0' || text.charAt(end - 1) == ' ')) {
            end--;
        }
        return text.substring(0, end).stripLeading();
    }

    CommandSet uint16(int tag, int value) {
        if (!SHORTS.contains(tag)) {
            throw new IllegalArgumentException(String.format("(0000,%04X) is not an US command element", tag));
        }
        elements.put(tag, new byte[] {(byte) value, (byte) (value >>> 8)});
        return this;
    }

    /** An AT value: attribute tags, each as group and element, little endian (Offending Element). */
    CommandSet tags(int tag, java.util.List<Integer> tags) {
        byte[] bytes = new byte[tags.size() * 4];
        for (int i = 0; i < tags.size(); i++) {
            int value = tags.get(i);
            bytes[4 * i] = (byte) (value >>> 16);
            bytes[4 * i + 1] = (byte) (value >>> 24);
            bytes[4 * i + 2] = (byte) value;
            bytes[4 * i + 3] = (byte) (value >>> 8);
        }
        elements.put(tag, bytes);
        return this;
    }

    /** A UI value (padded with NUL to even length) or AE/LO value (padded with a space). */
    CommandSet text(int tag, String value) {
        if (value == null) {
            return this;
        }
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length % 2 != 0) {
            byte[] padded = java.util.Arrays.copyOf(bytes, bytes.length + 1);
            boolean uid = tag == AFFECTED_SOP_CLASS_UID || tag == REQUESTED_SOP_CLASS_UID
                    || tag == AFFECTED_SOP_INSTANCE_UID || tag == REQUESTED_SOP_INSTANCE_UID;
            padded[bytes.length] = uid ? 0 : (byte) ' ';
            bytes = padded;
        }
        elements.put(tag, bytes);
        return this;
    }

    /** The command field (0000,0100). */
    int commandField() {
        int field = uint16Or(COMMAND_FIELD, -1);
        if (field < 0) {
            throw new IllegalArgumentException("the command set has no Command Field (0000,0100)");
        }
        return field;
    }

    boolean hasDataSet() {
        return uint16Or(COMMAND_DATA_SET_TYPE, NO_DATA_SET) != NO_DATA_SET;
    }

    /** The response to a request: the command field's response bit, the message id answered, the status. */
    static CommandSet response(CommandSet request, int status, boolean dataSet) {
        CommandSet response = new CommandSet();
        response.uint16(COMMAND_FIELD, request.commandField() | 0x8000);
        response.uint16(MESSAGE_ID_BEING_RESPONDED_TO, request.uint16Or(MESSAGE_ID, 0));
        response.uint16(COMMAND_DATA_SET_TYPE, dataSet ? 0x0000 : NO_DATA_SET);
        response.uint16(STATUS, status);
        String sopClass = request.text(AFFECTED_SOP_CLASS_UID);
        response.text(AFFECTED_SOP_CLASS_UID, sopClass != null ? sopClass : request.text(REQUESTED_SOP_CLASS_UID));
        return response;
    }
}

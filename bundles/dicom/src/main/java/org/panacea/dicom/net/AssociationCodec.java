package org.panacea.dicom.net;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Encodes and decodes the bodies of A-ASSOCIATE-RQ, -AC and -RJ PDUs (PS3.8 9.3.2 to 9.3.4, Annex D of PS3.7 for
 * role selection). Decoding is strict about structure: every item length must fit inside its parent, UIDs must be
 * UIDs, AE titles printable; a peer that gets any of it wrong gets a {@link ProtocolException} naming the field,
 * never an index error. Items PS3.8 allows but Panacea does not use (asynchronous operations, extended negotiation,
 * user identity) are skipped. Stateless and thread-safe.
 */
public final class AssociationCodec {

    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final int APPLICATION_CONTEXT = 0x10;
    private static final int PRESENTATION_CONTEXT_RQ = 0x20;
    private static final int PRESENTATION_CONTEXT_AC = 0x21;
    private static final int ABSTRACT_SYNTAX = 0x30;
    private static final int TRANSFER_SYNTAX = 0x40;
    private static final int USER_INFORMATION = 0x50;
    private static final int MAX_LENGTH = 0x51;
    private static final int IMPLEMENTATION_CLASS_UID = 0x52;
    private static final int ROLE_SELECTION = 0x54;
    private static final int IMPLEMENTATION_VERSION = 0x55;
    /** At most this many presentation contexts (ids are odd, 1 to 255). */
    private static final int MAX_CONTEXTS = 128;

    private AssociationCodec() {
    }

    /** Decodes the body of an A-ASSOCIATE-RQ. */
    public static AssociationRequest decodeRequest(byte[] body) throws ProtocolException {
        return decode(body, true).request;
    }

    /** Decodes the body of an A-ASSOCIATE-AC (this side as requestor, for C-MOVE). */
    public static AssociationAccept decodeAccept(byte[] body) throws ProtocolException {
        Decoded decoded = decode(body, false);
        return new AssociationAccept(decoded.request.calledAeTitle(), decoded.request.callingAeTitle(),
                decoded.results, decoded.request.maxPduLength(), decoded.request.implementationClassUid(),
                decoded.request.implementationVersion(), decoded.request.roleSelections());
    }

    /** Decodes the body of an A-ASSOCIATE-RJ. */
    public static AssociationReject decodeReject(byte[] body) throws ProtocolException {
        if (body.length != 4) {
            throw new ProtocolException(ProtocolException.INVALID_PDU_PARAMETER_VALUE,
                    "A-ASSOCIATE-RJ must be 4 bytes long, was " + body.length);
        }
        return new AssociationReject(body[1] & 0xFF, body[2] & 0xFF, body[3] & 0xFF);
    }

    private record Decoded(AssociationRequest request, List<PresentationContextResult> results) {
    }

    private static Decoded decode(byte[] body, boolean request) throws ProtocolException {
        String pdu = request ? "A-ASSOCIATE-RQ" : "A-ASSOCIATE-AC";
        ByteBuffer in = ByteBuffer.wrap(body);
        need(in, 68, pdu + " fixed fields");
        int version = in.getShort() & 0xFFFF;
        if ((version & 1) == 0) {
            throw new ProtocolException(ProtocolException.INVALID_PDU_PARAMETER_VALUE, pdu
                    + " protocol version " + version + " does not include version 1");
        }
        in.getShort();
        String called = aeTitle(in, pdu + " called AE title");
        String calling = aeTitle(in, pdu + " calling AE title");
        in.position(in.position() + 32);
        String applicationContext = null;
        List<PresentationContext> contexts = new ArrayList<>();
        List<PresentationContextResult> results = new ArrayList<>();
        long maxPdu = 0;
        String implementationClass = null;
        String implementationVersion = "";
        List<RoleSelection> roles = new ArrayList<>();
        while (in.hasRemaining()) {
            int type = item(in, pdu);
            ByteBuffer item = slice(in);
            switch (type) {
                case APPLICATION_CONTEXT -> applicationContext = uid(item, pdu + " application context name");
                case PRESENTATION_CONTEXT_RQ -> {
                    if (!request) {
                        throw unexpected(pdu, type);
                    }
                    contexts.add(presentationContext(item));
                    if (contexts.size() > MAX_CONTEXTS) {
                        throw new ProtocolException(ProtocolException.INVALID_PDU_PARAMETER_VALUE,
                                pdu + " proposes more than " + MAX_CONTEXTS + " presentation contexts");
                    }
                }
                case PRESENTATION_CONTEXT_AC -> {
                    if (request) {
                        throw unexpected(pdu, type);
                    }
                    results.add(presentationContextResult(item));
                }
                case USER_INFORMATION -> {
                    while (item.hasRemaining()) {
                        int subType = item(item, pdu + " user information");
                        ByteBuffer sub = slice(item);
                        switch (subType) {
                            case MAX_LENGTH -> {
                                if (sub.remaining() != 4) {
                                    throw invalid(pdu + " maximum length item must be 4 bytes, was " + sub.remaining());
                                }
                                maxPdu = sub.getInt() & 0xFFFFFFFFL;
                            }
                            case IMPLEMENTATION_CLASS_UID -> implementationClass = uid(sub, pdu
                                    + " implementation class UID");
                            case IMPLEMENTATION_VERSION -> implementationVersion = text(sub, pdu
                                    + " implementation version name", 16);
                            case ROLE_SELECTION -> roles.add(roleSelection(sub, pdu));
                            default -> {
                                // asynchronous operations window, extended negotiation, user identity: not used
                            }
                        }
                    }
                }
                default -> throw new ProtocolException(ProtocolException.UNRECOGNIZED_PDU_PARAMETER,
                        String.format("%s has an item of unknown type 0x%02X", pdu, type));
            }
        }
        if (applicationContext == null) {
            throw invalid(pdu + " has no application context name");
        }
        if (implementationClass == null) {
            throw invalid(pdu + " has no implementation class UID in its user information");
        }
        return new Decoded(new AssociationRequest(called, calling, applicationContext, contexts, maxPdu,
                implementationClass, implementationVersion, roles), results);
    }

    private static PresentationContext presentationContext(ByteBuffer item) throws ProtocolException {
        need(item, 4, "presentation context");
        int id = item.get() & 0xFF;
        if (id % 2 == 0) {
            throw invalid("presentation context id " + id + " is not odd");
        }
        item.position(item.position() + 3);
        String abstractSyntax = null;
        List<String> transferSyntaxes = new ArrayList<>();
        while (item.hasRemaining()) {
            int type = item(item, "presentation context " + id);
            ByteBuffer sub = slice(item);
            if (type == ABSTRACT_SYNTAX && abstractSyntax == null) {
                abstractSyntax = uid(sub, "abstract syntax of presentation context " + id);
            } else if (type == TRANSFER_SYNTAX) {
                transferSyntaxes.add(uid(sub, "transfer syntax of presentation context " + id));
            } else {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PDU_PARAMETER, String.format(
                        "presentation context %d has an unexpected item of type 0x%02X", id, type));
            }
        }
        if (abstractSyntax == null || transferSyntaxes.isEmpty()) {
            throw invalid("presentation context " + id + " needs an abstract syntax and at least one transfer syntax");
        }
        return new PresentationContext(id, abstractSyntax, transferSyntaxes);
    }

    private static PresentationContextResult presentationContextResult(ByteBuffer item) throws ProtocolException {
        need(item, 4, "presentation context result");
        int id = item.get() & 0xFF;
        item.get();
        int result = item.get() & 0xFF;
        item.get();
        String transferSyntax = "";
        while (item.hasRemaining()) {
            int type = item(item, "presentation context " + id);
            ByteBuffer sub = slice(item);
            if (type == TRANSFER_SYNTAX) {
                transferSyntax = sub.hasRemaining() ? uid(sub, "transfer syntax of presentation context " + id) : "";
            }
        }
        return new PresentationContextResult(id, result, transferSyntax, "");
    }

    private static RoleSelection roleSelection(ByteBuffer sub, String pdu) throws ProtocolException {
        need(sub, 2, pdu + " role selection");
        int length = sub.getShort() & 0xFFFF;
        need(sub, length + 2, pdu + " role selection");
        ByteBuffer uid = sub.slice(sub.position(), length);
        sub.position(sub.position() + length);
        String sopClass = uid(uid, pdu + " role selection SOP class");
        boolean scu = sub.get() != 0;
        boolean scp = sub.get() != 0;
        return new RoleSelection(sopClass, scu, scp);
    }

    /** The body of an A-ASSOCIATE-RQ (this side as requestor). */
    public static byte[] encodeRequest(AssociationRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fixedFields(out, request.calledAeTitle(), request.callingAeTitle());
        item(out, APPLICATION_CONTEXT, ascii(request.applicationContext()));
        for (PresentationContext context : request.presentationContexts()) {
            ByteArrayOutputStream sub = new ByteArrayOutputStream();
            sub.writeBytes(new byte[] {(byte) context.id(), 0, 0, 0});
            item(sub, ABSTRACT_SYNTAX, ascii(context.abstractSyntax()));
            for (String syntax : context.transferSyntaxes()) {
                item(sub, TRANSFER_SYNTAX, ascii(syntax));
            }
            item(out, PRESENTATION_CONTEXT_RQ, sub.toByteArray());
        }
        userInformation(out, request.maxPduLength(), request.implementationClassUid(),
                request.implementationVersion(), request.roleSelections());
        return out.toByteArray();
    }

    /** The body of an A-ASSOCIATE-AC. */
    public static byte[] encodeAccept(AssociationAccept accept) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fixedFields(out, accept.calledAeTitle(), accept.callingAeTitle());
        item(out, APPLICATION_CONTEXT, ascii(AssociationRequest.DICOM_APPLICATION_CONTEXT));
        for (PresentationContextResult result : accept.results()) {
            ByteArrayOutputStream sub = new ByteArrayOutputStream();
            sub.writeBytes(new byte[] {(byte) result.id(), 0, (byte) result.result(), 0});
            // PS3.8 9.3.3.2: the transfer syntax sub-item is present but not significant when refused.
            item(sub, TRANSFER_SYNTAX, ascii(result.accepted() ? result.transferSyntax() : ""));
            item(out, PRESENTATION_CONTEXT_AC, sub.toByteArray());
        }
        userInformation(out, accept.maxPduLength(), accept.implementationClassUid(), accept.implementationVersion(),
                accept.roleSelections());
        return out.toByteArray();
    }

    /** The body of an A-ASSOCIATE-RJ. */
    public static byte[] encodeReject(AssociationReject reject) {
        return new byte[] {0, (byte) reject.result(), (byte) reject.source(), (byte) reject.reason()};
    }

    private static void fixedFields(ByteArrayOutputStream out, String called, String calling) {
        out.writeBytes(new byte[] {0, 1, 0, 0});
        out.writeBytes(padded(called));
        out.writeBytes(padded(calling));
        out.writeBytes(new byte[32]);
    }

    private static void userInformation(ByteArrayOutputStream out, long maxPdu, String implementationClass,
            String implementationVersion, List<RoleSelection> roles) {
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        item(user, MAX_LENGTH, ByteBuffer.allocate(4).putInt((int) maxPdu).array());
        item(user, IMPLEMENTATION_CLASS_UID, ascii(implementationClass));
        for (RoleSelection role : roles) {
            byte[] uid = ascii(role.sopClass());
            ByteBuffer value = ByteBuffer.allocate(uid.length + 4).putShort((short) uid.length).put(uid)
                    .put((byte) (role.scu() ? 1 : 0)).put((byte) (role.scp() ? 1 : 0));
            item(user, ROLE_SELECTION, value.array());
        }
        if (!implementationVersion.isEmpty()) {
            item(user, IMPLEMENTATION_VERSION, ascii(implementationVersion));
        }
        item(out, USER_INFORMATION, user.toByteArray());
    }

    private static void item(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type);
        out.write(0);
        out.write(value.length >> 8);
        out.write(value.length);
        out.writeBytes(value);
    }

    private static byte[] padded(String aeTitle) {
        byte[] padded = new byte[16];
        java.util.Arrays.fill(padded, (byte) ' ');
        byte[] title = ascii(aeTitle);
        System.arraycopy(title, 0, padded, 0, Math.min(16, title.length));
        return padded;
    }

    private static byte[] ascii(String value) {
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    private static int item(ByteBuffer in, String where) throws ProtocolException {
        need(in, 4, where + " item header");
        int type = in.get() & 0xFF;
        in.get();
        int length = in.getShort() & 0xFFFF;
        need(in, length, String.format("%s item 0x%02X of %d bytes", where, type, length));
        return type;
    }

    /** The item value announced by the header just read, the buffer moved past it. */
    private static ByteBuffer slice(ByteBuffer in) {
        int length = in.getShort(in.position() - 2) & 0xFFFF;
        ByteBuffer value = in.slice(in.position(), length);
        in.position(in.position() + length);
        return value;
    }

    private static void need(ByteBuffer in, int length, String what) throws ProtocolException {
        if (in.remaining() < length) {
            throw invalid(what + " needs " + length + " bytes, only " + in.remaining() + " are left");
        }
    }

    private static String aeTitle(ByteBuffer in, String what) throws ProtocolException {
        String title = text(in.slice(in.position(), 16), what, 16).strip();
        in.position(in.position() + 16);
        if (title.isEmpty()) {
            throw invalid(what + " is blank");
        }
        return title;
    }

    private static String text(ByteBuffer value, String what, int max) throws ProtocolException {
        if (value.remaining() > max) {
            throw invalid(what + " is longer than " + max + " characters");
        }
        byte[] bytes = new byte[value.remaining()];
        value.get(bytes);
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7E) {
                throw invalid(what + " holds a byte that is not printable ASCII");
            }
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static String uid(ByteBuffer value, String what) throws ProtocolException {
        if (value.remaining() > 64) {
            throw invalid(what + " is longer than 64 characters");
        }
        byte[] bytes = new byte[value.remaining()];
        value.get(bytes);
        String uid = new String(bytes, StandardCharsets.US_ASCII);
        // UIDs in PDUs are not padded (PS3.8 9.3.2.2.1); tolerate the trailing NUL some peers send anyway.
        if (uid.endsWith("\0")) {
            uid = uid.substring(0, uid.length() - 1);
        }
        if (!UID.matcher(uid).matches()) {
            throw invalid(what + " is not a UID: '" + uid.replaceAll("[^ -~]", "?") + "'");
        }
        return uid;
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(ProtocolException.INVALID_PDU_PARAMETER_VALUE, message);
    }

    private static ProtocolException unexpected(String pdu, int type) {
        return new ProtocolException(ProtocolException.UNEXPECTED_PDU_PARAMETER,
                String.format("%s has an unexpected item of type 0x%02X", pdu, type));
    }
}

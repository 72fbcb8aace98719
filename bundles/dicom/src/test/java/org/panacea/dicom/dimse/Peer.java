package org.panacea.dicom.dimse;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;

import org.panacea.dicom.net.AssociationCodec;
import org.panacea.dicom.net.AssociationRequest;
import org.panacea.dicom.net.Pdu;
import org.panacea.dicom.net.PresentationContext;

/** A hand-driven DICOM peer for the tests: writes whatever bytes a test wants, reads PDUs back. */
final class Peer implements AutoCloseable {

    final Socket socket;
    final OutputStream out;
    final DataInputStream in;

    Peer(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    /** A peer on a socket already connected (a TLS one, say). */
    Peer(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(15000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    static AssociationRequest request(String called, String calling, long maxPdu, PresentationContext... contexts) {
        return new AssociationRequest(called, calling, AssociationRequest.DICOM_APPLICATION_CONTEXT,
                List.of(contexts), maxPdu, "1.2.3.4", "TEST", List.of());
    }

    static PresentationContext context(int id, String sopClass, String... transferSyntaxes) {
        return new PresentationContext(id, sopClass, List.of(transferSyntaxes));
    }

    void pdu(int type, byte[] body) throws IOException {
        out.write(new byte[] {(byte) type, 0, (byte) (body.length >>> 24), (byte) (body.length >>> 16),
            (byte) (body.length >>> 8), (byte) body.length});
        out.write(body);
        out.flush();
    }

    void associate(AssociationRequest request) throws IOException {
        pdu(Pdu.ASSOCIATE_RQ, AssociationCodec.encodeRequest(request));
    }

    /** One PDV in one P-DATA-TF. */
    void pdv(int contextId, boolean command, boolean last, byte[] value) throws IOException {
        byte[] body = new byte[value.length + 6];
        int length = value.length + 2;
        body[0] = (byte) (length >>> 24);
        body[1] = (byte) (length >>> 16);
        body[2] = (byte) (length >>> 8);
        body[3] = (byte) length;
        body[4] = (byte) contextId;
        body[5] = (byte) ((command ? 1 : 0) | (last ? 2 : 0));
        System.arraycopy(value, 0, body, 6, value.length);
        pdu(Pdu.P_DATA_TF, body);
    }

    /** The next PDU, or {@code null} when the server closed the connection. */
    Pdu read() throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        in.readByte();
        int length = in.readInt();
        byte[] body = new byte[length];
        in.readFully(body);
        return new Pdu(type, body);
    }

    /** The value of a single-PDV P-DATA-TF. */
    static byte[] pdvValue(Pdu pdu) {
        return java.util.Arrays.copyOfRange(pdu.body(), 6, pdu.body().length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

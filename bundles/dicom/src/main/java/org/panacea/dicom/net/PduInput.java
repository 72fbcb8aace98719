package org.panacea.dicom.net;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads PDUs from a peer, bounded: a length field over the limit is refused before a byte of the body is read (no
 * buffer is ever sized by the peer beyond the limit), a type PS3.8 does not define is refused, and a stream that ends
 * inside a PDU is a truncated PDU. A read that times out (the socket's time-out) surfaces as the socket's
 * {@link java.net.SocketTimeoutException}. Not thread-safe: one reader per association.
 */
public final class PduInput {

    private final InputStream in;
    private long maxBodyLength;

    /**
     * @param maxBodyLength the longest PDU body accepted, in bytes (the maximum PDU length this side announced; before
     *                      association, the same bound applies to the A-ASSOCIATE-RQ)
     */
    public PduInput(InputStream in, long maxBodyLength) {
        this.in = in;
        this.maxBodyLength = maxBodyLength;
    }

    /** Changes the longest PDU body accepted from now on (to the maximum announced once the association is up). */
    public void limit(long maxBodyLength) {
        this.maxBodyLength = maxBodyLength;
    }

    /**
     * The next PDU, or {@code null} when the peer closed the connection between PDUs.
     *
     * @throws ProtocolException for an unknown type, an over-long length or a PDU cut short
     */
    public Pdu read() throws IOException, ProtocolException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        byte[] header = new byte[5];
        readFully(header, "header of " + Pdu.name(type));
        if (type < Pdu.ASSOCIATE_RQ || type > Pdu.ABORT) {
            throw new ProtocolException(ProtocolException.UNRECOGNIZED_PDU, Pdu.name(type) + " is not a DICOM PDU");
        }
        long length = ((header[1] & 0xFFL) << 24) | ((header[2] & 0xFF) << 16) | ((header[3] & 0xFF) << 8)
                | (header[4] & 0xFF);
        if (length > maxBodyLength) {
            throw new ProtocolException(ProtocolException.INVALID_PDU_PARAMETER_VALUE, Pdu.name(type) + " of "
                    + length + " bytes is longer than the " + maxBodyLength + " bytes this archive accepts");
        }
        byte[] body = new byte[(int) length];
        readFully(body, Pdu.name(type) + " of " + length + " bytes");
        return new Pdu(type, body);
    }

    private void readFully(byte[] buffer, String what) throws IOException, ProtocolException {
        int done = 0;
        while (done < buffer.length) {
            int read = in.read(buffer, done, buffer.length - done);
            if (read < 0) {
                throw new ProtocolException(ProtocolException.NOT_SPECIFIED, "the connection ended inside the "
                        + what + " after " + done + " bytes");
            }
            done += read;
        }
    }
}

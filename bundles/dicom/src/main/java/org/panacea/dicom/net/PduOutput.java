package org.panacea.dicom.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Writes PDUs to a peer, and messages as P-DATA-TF PDUs fragmented to the peer's maximum PDU length (PS3.8 9.3.5,
 * PS3.7 E.2): one presentation data value per PDU, the command first, then the data set. Thread-safe: a whole
 * message fragment goes out under one lock, and a message's fragments are written by one thread.
 */
public final class PduOutput {

    /** The PDV item header: length (4), context id (1), message control header (1). */
    private static final int PDV_HEADER = 6;
    private static final int COMMAND = 0x01;
    private static final int LAST = 0x02;

    private final OutputStream out;
    private final int maxPduBody;

    /**
     * @param maxPduBody the peer's maximum PDU length (the longest P-DATA-TF body it receives); 0 means no limit
     *                   and this side's {@code fallback} applies
     */
    public PduOutput(OutputStream out, long maxPduBody, int fallback) {
        this.out = out;
        long max = maxPduBody == 0 ? fallback : Math.min(maxPduBody, fallback);
        // PS3.8: at least one byte of value per PDV besides its header; a peer announcing less gets the minimum.
        this.maxPduBody = (int) Math.max(max, PDV_HEADER + 2);
    }

    /** Writes one PDU with {@code body}. */
    public synchronized void write(int type, byte[] body) throws IOException {
        out.write(header(type, body.length));
        out.write(body);
        out.flush();
    }

    /** A-RELEASE-RQ or -RP. */
    public void release(int type) throws IOException {
        write(type, new byte[4]);
    }

    /** A-ABORT from the service provider (source 2) with {@code reason}, best effort. */
    public void abort(int reason) {
        try {
            write(Pdu.ABORT, new byte[] {0, 0, 2, (byte) reason});
        } catch (IOException e) {
            // the peer is gone already: nothing to tell it
        }
    }

    /** A command set, in as many P-DATA-TF PDUs as the peer's maximum length needs. */
    public void command(int contextId, byte[] command) throws IOException {
        fragments(contextId, new java.io.ByteArrayInputStream(command), COMMAND);
    }

    /** A data set read from {@code data} to its end, fragmented likewise. */
    public void dataSet(int contextId, InputStream data) throws IOException {
        fragments(contextId, data, 0);
    }

    private void fragments(int contextId, InputStream data, int control) throws IOException {
        int room = maxPduBody - PDV_HEADER;
        byte[] current = new byte[room];
        byte[] next = new byte[room];
        int filled = fill(data, current);
        while (true) {
            int nextFilled = filled == room ? fill(data, next) : 0;
            boolean last = nextFilled == 0;
            synchronized (this) {
                out.write(header(Pdu.P_DATA_TF, filled + PDV_HEADER));
                int pdvLength = filled + 2;
                out.write(new byte[] {(byte) (pdvLength >>> 24), (byte) (pdvLength >>> 16), (byte) (pdvLength >>> 8),
                    (byte) pdvLength, (byte) contextId, (byte) (control | (last ? LAST : 0))});
                out.write(current, 0, filled);
                if (last) {
                    out.flush();
                }
            }
            if (last) {
                return;
            }
            byte[] written = current;
            current = next;
            next = written;
            filled = nextFilled;
        }
    }

    private static int fill(InputStream data, byte[] buffer) throws IOException {
        int filled = 0;
        while (filled < buffer.length) {
            int read = data.read(buffer, filled, buffer.length - filled);
            if (read < 0) {
                break;
            }
            filled += read;
        }
        return filled;
    }

    private static byte[] header(int type, long length) {
        return new byte[] {(byte) type, 0, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
            (byte) length};
    }
}

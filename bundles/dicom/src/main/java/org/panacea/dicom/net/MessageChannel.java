package org.panacea.dicom.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntPredicate;

/**
 * The DIMSE messages of an established association, reassembled from P-DATA-TF PDUs (PS3.8 9.3.5, PS3.7 E.2): a
 * command set whole (it is small and bounded), then its data set as a stream that pulls fragments from the peer as
 * it is read, so a large image is never held in memory. Refuses, as the protocol error it is, a presentation context
 * id that was not accepted, a data fragment where a command is due (and the reverse), a PDV that does not fit its
 * PDU, and any PDU other than P-DATA-TF, A-RELEASE-RQ or A-ABORT. Not thread-safe: the association's thread reads.
 */
public final class MessageChannel {

    /** What {@link #nextCommand} found. */
    public sealed interface Next permits Command, Released, Aborted {
    }

    /** A complete command set on presentation context {@code contextId}. */
    public record Command(int contextId, byte[] commandSet) implements Next {
    }

    /** The peer asked to release; the A-RELEASE-RP has been sent. */
    public record Released() implements Next {
    }

    /** The peer aborted, or closed the connection. */
    public record Aborted() implements Next {
    }

    private record Pdv(int contextId, boolean command, boolean last, ByteBuffer value) {
    }

    private final PduInput in;
    private final PduOutput out;
    private final IntPredicate acceptedContext;
    private final int maxCommandLength;
    private final Deque<Pdv> pending = new ArrayDeque<>();

    /**
     * @param acceptedContext  whether a presentation context id was accepted for this association
     * @param maxCommandLength the largest command set taken, in bytes
     */
    public MessageChannel(PduInput in, PduOutput out, IntPredicate acceptedContext, int maxCommandLength) {
        this.in = in;
        this.out = out;
        this.acceptedContext = acceptedContext;
        this.maxCommandLength = maxCommandLength;
    }

    /** The next command, a release or an abort. */
    public Next nextCommand() throws IOException, ProtocolException {
        java.io.ByteArrayOutputStream command = new java.io.ByteArrayOutputStream();
        int contextId = -1;
        while (true) {
            Pdv pdv = nextPdv(contextId < 0);
            if (pdv == null) {
                return contextId < 0 ? new Released() : failPartial();
            }
            if (pdv.contextId == -1) {
                return new Aborted();
            }
            if (!pdv.command) {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PDU_PARAMETER,
                        "a data set fragment arrived where a command was due");
            }
            if (contextId >= 0 && pdv.contextId != contextId) {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PDU_PARAMETER, "a command's fragments "
                        + "changed presentation context from " + contextId + " to " + pdv.contextId);
            }
            contextId = pdv.contextId;
            if (command.size() + pdv.value.remaining() > maxCommandLength) {
                throw new ProtocolException(ProtocolException.INVALID_PDU_PARAMETER_VALUE, "a command set longer than "
                        + maxCommandLength + " bytes");
            }
            command.write(pdv.value.array(), pdv.value.arrayOffset() + pdv.value.position(), pdv.value.remaining());
            if (pdv.last) {
                return new Command(contextId, command.toByteArray());
            }
        }
    }

    private Next failPartial() throws ProtocolException {
        throw new ProtocolException(ProtocolException.UNEXPECTED_PDU, "A-RELEASE-RQ arrived inside a command");
    }

    /**
     * The data set that follows the last command, on {@code contextId}, streamed: each read pulls the next fragment
     * from the peer when needed. Read it to its end (or {@link InputStream#close close} it, which reads and drops the
     * rest) before asking for the next command. A protocol error while reading surfaces as a
     * {@link ProtocolViolation}, an {@link IOException} carrying the {@link ProtocolException}.
     */
    public InputStream dataSet(int contextId) {
        return new InputStream() {
            private ByteBuffer current = ByteBuffer.allocate(0);
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int read = read(one, 0, 1);
                return read < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                while (!current.hasRemaining()) {
                    if (ended) {
                        return -1;
                    }
                    Pdv pdv;
                    try {
                        pdv = nextPdv(false);
                        if (pdv == null || pdv.contextId == -1) {
                            throw new ProtocolException(ProtocolException.UNEXPECTED_PDU,
                                    "the association ended inside a data set");
                        }
                        if (pdv.command || pdv.contextId != contextId) {
                            throw new ProtocolException(ProtocolException.UNEXPECTED_PDU_PARAMETER,
                                    "a command or another presentation context's fragment arrived inside a data set");
                        }
                    } catch (ProtocolException e) {
                        throw new ProtocolViolation(e);
                    }
                    current = pdv.value;
                    ended = pdv.last;
                }
                int count = Math.min(length, current.remaining());
                current.get(buffer, offset, count);
                return count;
            }

            @Override
            public void close() throws IOException {
                byte[] drain = new byte[8192];
                while (read(drain, 0, drain.length) >= 0) {
                    // the rest of the data set is not wanted, but must be read off the wire
                }
            }
        };
    }

    /** A protocol error met while a data set was being read as a stream. */
    public static final class ProtocolViolation extends IOException {

        private static final long serialVersionUID = 1L;

        ProtocolViolation(ProtocolException cause) {
            super(cause.getMessage(), cause);
        }

        public ProtocolException protocolError() {
            return (ProtocolException) getCause();
        }
    }

    /**
     * The next PDV, reading a PDU when none is pending; {@code null} on A-RELEASE-RQ (answered) when
     * {@code releaseAllowed}, a PDV with context -1 on A-ABORT or a closed connection.
     */
    private Pdv nextPdv(boolean releaseAllowed) throws IOException, ProtocolException {
        while (pending.isEmpty()) {
            Pdu pdu = in.read();
            if (pdu == null || pdu.type() == Pdu.ABORT) {
                return new Pdv(-1, false, true, ByteBuffer.allocate(0));
            }
            if (pdu.type() == Pdu.RELEASE_RQ && releaseAllowed) {
                out.release(Pdu.RELEASE_RP);
                return null;
            }
            if (pdu.type() != Pdu.P_DATA_TF) {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PDU, Pdu.name(pdu.type())
                        + " is not expected on an established association" + (pdu.type() == Pdu.RELEASE_RQ
                                ? " inside a message" : ""));
            }
            split(pdu.body());
        }
        return pending.poll();
    }

    private void split(byte[] body) throws ProtocolException {
        ByteBuffer in = ByteBuffer.wrap(body);
        if (!in.hasRemaining()) {
            throw new ProtocolException(ProtocolException.INVALID_PDU_PARAMETER_VALUE, "P-DATA-TF without a PDV");
        }
        while (in.hasRemaining()) {
            if (in.remaining() < 6) {
                throw new ProtocolException(ProtocolException.INVALID_PDU_PARAMETER_VALUE,
                        "a PDV header cut short inside its P-DATA-TF");
            }
            long length = in.getInt() & 0xFFFFFFFFL;
            if (length < 2 || length > in.remaining()) {
                throw new ProtocolException(ProtocolException.INVALID_PDU_PARAMETER_VALUE, "a PDV of " + length
                        + " bytes does not fit the " + (in.remaining()) + " bytes left of its P-DATA-TF");
            }
            int contextId = in.get() & 0xFF;
            int control = in.get() & 0xFF;
            if (!acceptedContext.test(contextId)) {
                throw new ProtocolException(ProtocolException.INVALID_PDU_PARAMETER_VALUE, "presentation context "
                        + contextId + " was not accepted on this association");
            }
            ByteBuffer value = in.slice(in.position(), (int) length - 2);
            in.position(in.position() + (int) length - 2);
            pending.add(new Pdv(contextId, (control & 0x01) != 0, (control & 0x02) != 0, value));
        }
    }
}

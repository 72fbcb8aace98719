package org.panacea.dicom.dimse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.dicom.net.AssociationCodec;
import org.panacea.dicom.net.AssociationReject;
import org.panacea.dicom.net.Pdu;
import org.panacea.dicom.net.ProtocolException;

/**
 * The network service as an outsider meets it, over a real socket: the association boundary (called and calling AE
 * titles, the host, permissions, the number of associations) and the protocol's limits (truncated, huge, unknown and
 * oversized PDUs, unproposed presentation contexts, a peer that stops mid-PDU), each answered with the right PDU
 * and audited with the AE title; and C-ECHO and a fragmented C-STORE that go through.
 */
class AssociationBoundaryTest {

    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private NetworkFixture network;

    private NetworkFixture start(Map<String, Object> overrides) {
        network = new NetworkFixture(overrides);
        return network;
    }

    @AfterEach
    void stop() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void echoOnAnAcceptedAssociationIsAnsweredAndTheAssociationAudited() throws IOException {
        start(Map.of());
        try (Peer peer = new Peer(network.port())) {
            peer.associate(Peer.request("PANACEA", "ECHOSCU", 16384, Peer.context(1, Uids.VERIFICATION,
                    Uids.IMPLICIT_VR_LITTLE_ENDIAN)));
            Pdu accept = peer.read();
            assertEquals(Pdu.ASSOCIATE_AC, accept.type());
            assertTrue(AssociationCodec.decodeAccept(accept.body()).accepted(1) != null);
            CommandSet echo = new CommandSet().uint16(CommandSet.COMMAND_FIELD, 0x0030)
                    .uint16(CommandSet.MESSAGE_ID, 7).uint16(CommandSet.COMMAND_DATA_SET_TYPE, 0x0101)
                    .text(CommandSet.AFFECTED_SOP_CLASS_UID, Uids.VERIFICATION);
            peer.pdv(1, true, true, echo.encode());
            CommandSet response = CommandSet.decode(Peer.pdvValue(peer.read()));
            assertEquals(0x8030, response.commandField());
            assertEquals(7, response.uint16Or(CommandSet.MESSAGE_ID_BEING_RESPONDED_TO, -1));
            assertEquals(Status.SUCCESS, response.uint16Or(CommandSet.STATUS, -1));
            peer.pdu(Pdu.RELEASE_RQ, new byte[4]);
            assertEquals(Pdu.RELEASE_RP, peer.read().type());
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
        AuditEvent login = network.audit.single();
        assertEquals(AuditAction.LOGIN, login.action());
        assertEquals("dicom:ECHOSCU", login.actor());
        assertEquals("127.0.0.1", login.clientAddress());
    }

    @Test
    void aWrongCalledAeTitleIsRefusedPermanentlyAndAudited() throws Exception {
        start(Map.of());
        AssociationReject reject = refused("SOMEONE_ELSE", "ECHOSCU", Peer.context(1, Uids.VERIFICATION,
                Uids.IMPLICIT_VR_LITTLE_ENDIAN));
        assertEquals(AssociationReject.PERMANENT, reject.result());
        assertEquals(AssociationReject.CALLED_AE_NOT_RECOGNIZED, reject.reason());
        assertDenied("ECHOSCU");
    }

    @Test
    void anUnknownCallingAeTitleIsRefusedAndAudited() throws Exception {
        start(Map.of("peers", "CT1@127.0.0.1=store"));
        AssociationReject reject = refused("PANACEA", "INTRUDER", Peer.context(1, Uids.VERIFICATION,
                Uids.IMPLICIT_VR_LITTLE_ENDIAN));
        assertEquals(AssociationReject.CALLING_AE_NOT_RECOGNIZED, reject.reason());
        assertDenied("INTRUDER");
    }

    @Test
    void aKnownAeTitleFromAnotherHostIsRefused() throws Exception {
        // The title alone proves nothing: CT1 is configured at another address than the one it calls from.
        start(Map.of("peers", "CT1@192.0.2.10=store"));
        AssociationReject reject = refused("PANACEA", "CT1", Peer.context(1, Uids.VERIFICATION,
                Uids.IMPLICIT_VR_LITTLE_ENDIAN));
        assertEquals(AssociationReject.CALLING_AE_NOT_RECOGNIZED, reject.reason());
        assertDenied("CT1");
    }

    @Test
    void aModalityAskingToQueryIsRefusedTheRoleItLacks() throws Exception {
        start(Map.of("peers", "CT1@127.0.0.1=store"));
        refused("PANACEA", "CT1", Peer.context(1, Uids.STUDY_ROOT_FIND, Uids.IMPLICIT_VR_LITTLE_ENDIAN));
        AuditEvent denied = assertDenied("CT1");
        assertTrue(denied.details().contains("may not query"), denied.details());
    }

    @Test
    void anAssociationOverTheLimitIsRefusedTransiently() throws Exception {
        start(Map.of("max_associations", 1));
        try (Peer first = new Peer(network.port())) {
            first.associate(Peer.request("PANACEA", "FIRST", 16384, Peer.context(1, Uids.VERIFICATION,
                    Uids.IMPLICIT_VR_LITTLE_ENDIAN)));
            assertEquals(Pdu.ASSOCIATE_AC, first.read().type());
            AssociationReject reject = refused("PANACEA", "SECOND", Peer.context(1, Uids.VERIFICATION,
                    Uids.IMPLICIT_VR_LITTLE_ENDIAN));
            assertEquals(AssociationReject.TRANSIENT, reject.result());
            assertEquals(AssociationReject.LOCAL_LIMIT_EXCEEDED, reject.reason());
        }
        assertDenied("SECOND");
    }

    @Test
    void aHugeLengthFieldAbortsAtOnceWithoutReadingIt() throws IOException {
        start(Map.of());
        try (Peer peer = new Peer(network.port())) {
            peer.out.write(new byte[] {1, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0});
            peer.out.flush();
            Pdu abort = peer.read();
            assertEquals(Pdu.ABORT, abort.type());
            assertEquals(ProtocolException.INVALID_PDU_PARAMETER_VALUE, abort.body()[3]);
            assertNull(peer.read(), "the connection is closed after the abort");
        }
    }

    @Test
    void anUnknownPduTypeAborts() throws IOException {
        start(Map.of());
        try (Peer peer = new Peer(network.port())) {
            peer.pdu(0x09, new byte[10]);
            Pdu abort = peer.read();
            assertEquals(Pdu.ABORT, abort.type());
            assertEquals(ProtocolException.UNRECOGNIZED_PDU, abort.body()[3]);
        }
    }

    @Test
    void aTruncatedRequestIsAbortedAndTheServiceGoesOn() throws IOException {
        start(Map.of());
        byte[] request = AssociationCodec.encodeRequest(Peer.request("PANACEA", "ECHOSCU", 16384,
                Peer.context(1, Uids.VERIFICATION, Uids.IMPLICIT_VR_LITTLE_ENDIAN)));
        try (Peer peer = new Peer(network.port())) {
            // a length that claims fewer bytes than the items inside announce: the items run past the PDU's end
            peer.pdu(Pdu.ASSOCIATE_RQ, java.util.Arrays.copyOf(request, request.length - 20));
            Pdu abort = peer.read();
            assertEquals(Pdu.ABORT, abort.type());
        }
        try (Peer peer = new Peer(network.port())) {
            peer.associate(Peer.request("PANACEA", "ECHOSCU", 16384, Peer.context(1, Uids.VERIFICATION,
                    Uids.IMPLICIT_VR_LITTLE_ENDIAN)));
            assertEquals(Pdu.ASSOCIATE_AC, peer.read().type(), "the service still serves the next peer");
        }
    }

    @Test
    void aPeerThatStopsMidPduIsAbortedAfterTheTimeOut() throws IOException {
        start(Map.of("artim_timeout_seconds", 1));
        try (Peer peer = new Peer(network.port())) {
            peer.out.write(new byte[] {1, 0, 0, 0, 1, 0, 0, 1, 0, 0});
            peer.out.flush();
            long started = System.nanoTime();
            Pdu abort = peer.read();
            long waited = (System.nanoTime() - started) / 1_000_000;
            assertEquals(Pdu.ABORT, abort.type());
            assertTrue(waited >= 800 && waited < 10000, "aborted after " + waited + " ms");
        }
    }

    @Test
    void dataOnAPresentationContextThatWasNotAcceptedAborts() throws IOException {
        start(Map.of());
        try (Peer peer = associated(16384)) {
            peer.pdv(3, true, true, new byte[8]);
            Pdu abort = peer.read();
            assertEquals(Pdu.ABORT, abort.type());
            assertEquals(ProtocolException.INVALID_PDU_PARAMETER_VALUE, abort.body()[3]);
        }
    }

    @Test
    void aPduLongerThanTheAnnouncedMaximumAborts() throws IOException {
        start(Map.of("max_pdu_length", 16384));
        try (Peer peer = associated(16384)) {
            peer.pdv(1, false, true, new byte[16384]);
            Pdu abort = peer.read();
            assertEquals(Pdu.ABORT, abort.type());
        }
        assertTrue(network.stored.isEmpty());
    }

    @Test
    void aStoreInManyFragmentsReachesTheArchiveWholeBehindAPart10Header() throws Exception {
        start(Map.of());
        byte[] dataSet = new byte[100_000];
        new java.util.Random(17).nextBytes(dataSet);
        try (Peer peer = associated(4096)) {
            CommandSet store = new CommandSet().uint16(CommandSet.COMMAND_FIELD, 0x0001)
                    .uint16(CommandSet.MESSAGE_ID, 3).uint16(CommandSet.COMMAND_DATA_SET_TYPE, 0)
                    .uint16(CommandSet.PRIORITY, 0).text(CommandSet.AFFECTED_SOP_CLASS_UID, CT)
                    .text(CommandSet.AFFECTED_SOP_INSTANCE_UID, "1.2.3.4.5");
            peer.pdv(1, true, true, store.encode());
            for (int at = 0; at < dataSet.length; at += 1000) {
                peer.pdv(1, false, at + 1000 >= dataSet.length, java.util.Arrays.copyOfRange(dataSet, at,
                        Math.min(dataSet.length, at + 1000)));
            }
            CommandSet response = CommandSet.decode(Peer.pdvValue(peer.read()));
            assertEquals(0x8001, response.commandField());
            assertEquals(Status.SUCCESS, response.uint16Or(CommandSet.STATUS, -1));
            assertEquals("1.2.3.4.5", response.text(CommandSet.AFFECTED_SOP_INSTANCE_UID));
        }
        byte[] part10 = network.stored.get(0);
        assertEquals("DICM", new String(part10, 128, 4, StandardCharsets.US_ASCII));
        assertEquals("1.2.3.4.5", NetworkFixture.sopInstanceUid(part10));
        assertArrayEquals(dataSet, java.util.Arrays.copyOfRange(part10, part10.length - dataSet.length,
                part10.length));
        assertEquals("dicom:STORESCU", network.storedBy.get(0).name());
        assertTrue(network.callers.issued(network.storedBy.get(0)), "the caller is one the security bundle issued");
    }

    @Test
    void stoppingTheServiceEndsTheAssociationsInProgress() throws IOException {
        start(Map.of());
        try (Peer peer = associated(16384)) {
            network.close();
            network = null;
            long started = System.nanoTime();
            try {
                assertNull(peer.read(), "the connection is closed");
            } catch (java.net.SocketException reset) {
                // closed under the read: as good
            }
            assertTrue(System.nanoTime() - started < 5_000_000_000L, "not left waiting for the idle time-out");
        }
    }

    /** An association with a CT storage context (id 1), explicit VR little endian. */
    private Peer associated(long maxPdu) throws IOException {
        Peer peer = new Peer(network.port());
        peer.associate(Peer.request("PANACEA", "STORESCU", maxPdu, Peer.context(1, CT,
                Uids.EXPLICIT_VR_LITTLE_ENDIAN)));
        assertEquals(Pdu.ASSOCIATE_AC, peer.read().type());
        return peer;
    }

    private AssociationReject refused(String called, String calling, org.panacea.dicom.net.PresentationContext context)
            throws Exception {
        try (Peer peer = new Peer(network.port())) {
            peer.associate(Peer.request(called, calling, 16384, context));
            Pdu answer = peer.read();
            assertNotNull(answer);
            assertEquals(Pdu.ASSOCIATE_RJ, answer.type());
            return AssociationCodec.decodeReject(answer.body());
        }
    }

    private AuditEvent assertDenied(String callingAe) {
        AuditEvent denied = network.audit.events().stream().filter(e -> e.action() == AuditAction.ACCESS_DENIED)
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no ACCESS_DENIED in "
                        + network.audit.events()));
        assertEquals("dicom:" + callingAe, denied.actor());
        assertEquals(AuditOutcome.DENIED, denied.outcome());
        return denied;
    }
}

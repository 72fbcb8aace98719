package org.panacea.dicom.dimse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panacea.dicom.net.AssociationAccept;
import org.panacea.dicom.net.AssociationCodec;
import org.panacea.dicom.net.AssociationRequest;
import org.panacea.dicom.net.Pdu;
import org.panacea.dicom.net.PresentationContext;
import org.panacea.dicom.net.PresentationContextResult;
import org.panacea.dicom.net.RoleSelection;

/**
 * Storage Commitment push model over a socket: the archive commits to the instances it holds and names the others
 * as failed (0112), in an N-EVENT-REPORT on the same association after the N-ACTION-RSP; and the data sets with
 * sequences it reads and writes survive a round trip in both little endian syntaxes. A modality that releases before
 * the report gets it on an association the archive opens to its configured destination, and only there.
 */
class StorageCommitmentTest {

    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private NetworkFixture network;

    @BeforeEach
    void start() {
        network = new NetworkFixture(Map.of());
    }

    @AfterEach
    void stop() {
        network.close();
    }

    @Test
    void storedInstancesAreCommittedAndUnknownOnesReportedAsFailed() throws IOException {
        try (Peer peer = new Peer(network.port())) {
            storeOneAndAskForTwo(peer);

            CommandSet event = CommandSet.decode(Peer.pdvValue(peer.read()));
            assertEquals(0x0100, event.commandField());
            assertEquals(2, event.uint16Or(CommandSet.EVENT_TYPE_ID, -1), "some instances failed");
            assertReportNamesOneCommittedAndOneFailed(Identifier.read(new ByteArrayInputStream(
                    Peer.pdvValue(peer.read())), true));

            peer.pdv(3, true, true, eventResponse(1));
            peer.pdu(Pdu.RELEASE_RQ, new byte[4]);
            assertEquals(Pdu.RELEASE_RP, peer.read().type());
        }
    }

    /**
     * A modality that releases once the N-ACTION-RSP is in, as many do, gets the report on an association the archive
     * opens to its configured destination, with the archive in the SCP role of Storage Commitment (PS3.4 J.3.3).
     */
    @Test
    void aModalityThatReleasesAfterTheActionGetsTheReportOnANewAssociation() throws Exception {
        try (ServerSocket modality = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            modality.setSoTimeout(15000);
            network.close();
            network = new NetworkFixture(Map.of("destinations", "MODALITY=127.0.0.1:" + modality.getLocalPort()));
            try (Peer peer = new Peer(network.port())) {
                storeOneAndAskForTwo(peer);
                peer.pdu(Pdu.RELEASE_RQ, new byte[4]);
                readUntil(peer, Pdu.RELEASE_RP);
            }
            try (Peer archive = new Peer(modality.accept())) {
                Pdu associate = archive.read();
                assertEquals(Pdu.ASSOCIATE_RQ, associate.type());
                AssociationRequest request = AssociationCodec.decodeRequest(associate.body());
                assertEquals("PANACEA", request.callingAeTitle());
                assertEquals("MODALITY", request.calledAeTitle());
                assertTrue(request.roleSelections().contains(new RoleSelection(Uids.STORAGE_COMMITMENT, false, true)),
                        "the archive asks to act as SCP: " + request.roleSelections());
                PresentationContext proposed = request.presentationContexts().get(0);
                assertEquals(Uids.STORAGE_COMMITMENT, proposed.abstractSyntax());
                archive.pdu(Pdu.ASSOCIATE_AC, AssociationCodec.encodeAccept(new AssociationAccept("MODALITY",
                        "PANACEA", List.of(new PresentationContextResult(proposed.id(),
                                PresentationContextResult.ACCEPTANCE, proposed.transferSyntaxes().get(0),
                                Uids.STORAGE_COMMITMENT)), 16384, "1.2.3.4", "TEST",
                        List.of(new RoleSelection(Uids.STORAGE_COMMITMENT, false, true)))));

                CommandSet event = CommandSet.decode(Peer.pdvValue(archive.read()));
                assertEquals(0x0100, event.commandField());
                assertEquals(StorageCommitmentProvider.WELL_KNOWN_INSTANCE,
                        event.text(CommandSet.AFFECTED_SOP_INSTANCE_UID));
                assertReportNamesOneCommittedAndOneFailed(Identifier.read(new ByteArrayInputStream(
                        Peer.pdvValue(archive.read())), proposed.transferSyntaxes().get(0).equals(
                                Uids.EXPLICIT_VR_LITTLE_ENDIAN)));
                archive.pdv(proposed.id(), true, true, eventResponse(1));
                assertEquals(Pdu.RELEASE_RQ, archive.read().type());
                archive.pdu(Pdu.RELEASE_RP, new byte[4]);
            }
        }
    }

    /** The second report goes only to a configured destination, never to an address a peer could name. */
    @Test
    void aModalityThatIsNotAConfiguredDestinationGetsNoSecondReport() throws Exception {
        try (ServerSocket elsewhere = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            elsewhere.setSoTimeout(3000);
            network.close();
            network = new NetworkFixture(Map.of("destinations", "WORKSTATION=127.0.0.1:" + elsewhere.getLocalPort()));
            try (Peer peer = new Peer(network.port())) {
                storeOneAndAskForTwo(peer);
                peer.pdu(Pdu.RELEASE_RQ, new byte[4]);
                readUntil(peer, Pdu.RELEASE_RP);
            }
            assertThrows(SocketTimeoutException.class, elsewhere::accept, "no association to anyone");
        }
    }

    /** Associates as MODALITY, stores 1.2.3.4.5, asks for 1.2.3.4.5 and 1.2.3.4.6, and reads the N-ACTION-RSP. */
    private static void storeOneAndAskForTwo(Peer peer) throws IOException {
        peer.associate(Peer.request("PANACEA", "MODALITY", 16384, Peer.context(1, CT,
                Uids.EXPLICIT_VR_LITTLE_ENDIAN), Peer.context(3, Uids.STORAGE_COMMITMENT,
                        Uids.EXPLICIT_VR_LITTLE_ENDIAN)));
        assertEquals(Pdu.ASSOCIATE_AC, peer.read().type());
        CommandSet store = new CommandSet().uint16(CommandSet.COMMAND_FIELD, 0x0001)
                .uint16(CommandSet.MESSAGE_ID, 1).uint16(CommandSet.COMMAND_DATA_SET_TYPE, 0)
                .uint16(CommandSet.PRIORITY, 0).text(CommandSet.AFFECTED_SOP_CLASS_UID, CT)
                .text(CommandSet.AFFECTED_SOP_INSTANCE_UID, "1.2.3.4.5");
        peer.pdv(1, true, true, store.encode());
        peer.pdv(1, false, true, new byte[64]);
        assertEquals(Status.SUCCESS, CommandSet.decode(Peer.pdvValue(peer.read())).uint16Or(CommandSet.STATUS, -1));

        Identifier request = new Identifier(true);
        request.put(0x00081195, "UI", "2.25.42");
        request.putItems(0x00081199, List.of(reference("1.2.3.4.5"), reference("1.2.3.4.6")));
        CommandSet action = new CommandSet().uint16(CommandSet.COMMAND_FIELD, 0x0130)
                .uint16(CommandSet.MESSAGE_ID, 2).uint16(CommandSet.COMMAND_DATA_SET_TYPE, 0)
                .uint16(CommandSet.ACTION_TYPE_ID, 1)
                .text(CommandSet.REQUESTED_SOP_CLASS_UID, Uids.STORAGE_COMMITMENT)
                .text(CommandSet.REQUESTED_SOP_INSTANCE_UID, StorageCommitmentProvider.WELL_KNOWN_INSTANCE);
        peer.pdv(3, true, true, action.encode());
        peer.pdv(3, false, true, request.encode());
        CommandSet actionResponse = CommandSet.decode(Peer.pdvValue(peer.read()));
        assertEquals(0x8130, actionResponse.commandField());
        assertEquals(Status.SUCCESS, actionResponse.uint16Or(CommandSet.STATUS, -1));
    }

    private static void assertReportNamesOneCommittedAndOneFailed(Identifier report) {
        assertEquals("2.25.42", report.value(0x00081195));
        assertEquals(1, report.items(0x00081199).size());
        assertEquals("1.2.3.4.5", report.items(0x00081199).get(0).value(0x00081155));
        assertEquals(1, report.items(0x00081198).size());
        assertEquals("1.2.3.4.6", report.items(0x00081198).get(0).value(0x00081155));
        assertEquals("274", report.items(0x00081198).get(0).value(0x00081197), "0x0112, no such object");
    }

    private static byte[] eventResponse(int messageId) {
        return new CommandSet().uint16(CommandSet.COMMAND_FIELD, 0x8100)
                .uint16(CommandSet.MESSAGE_ID_BEING_RESPONDED_TO, messageId).uint16(CommandSet.STATUS, 0)
                .uint16(CommandSet.COMMAND_DATA_SET_TYPE, 0x0101).encode();
    }

    /** Reads PDUs (the report the peer does not answer) until one of {@code type}. */
    private static void readUntil(Peer peer, int type) throws IOException {
        for (Pdu pdu = peer.read(); pdu != null; pdu = peer.read()) {
            if (pdu.type() == type) {
                return;
            }
        }
        throw new AssertionError("the connection ended before PDU type " + type);
    }

    @Test
    void dataSetsWithSequencesSurviveARoundTripInBothSyntaxes() throws IOException {
        for (boolean explicit : new boolean[] {true, false}) {
            Identifier written = new Identifier(explicit);
            written.put(0x00081195, "UI", "2.25.7");
            written.putItems(0x00081199, List.of(reference("1.2.3"), reference("1.2.33")));
            Identifier read = Identifier.read(new ByteArrayInputStream(written.encode()), explicit);
            assertEquals("2.25.7", read.value(0x00081195));
            assertEquals("1.2.33", read.items(0x00081199).get(1).value(0x00081155));
            assertEquals(CT, read.items(0x00081199).get(0).value(0x00081150));
        }
    }

    private static Identifier reference(String sopInstance) {
        Identifier item = new Identifier(true);
        item.put(0x00081150, "UI", CT);
        item.put(0x00081155, "UI", sopInstance);
        return item;
    }
}

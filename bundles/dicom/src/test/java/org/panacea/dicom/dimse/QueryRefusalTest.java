package org.panacea.dicom.dimse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panacea.dicom.net.Pdu;

/**
 * What C-FIND refuses, and what it must not: partial wildcards and unsupported keys are refused with A900 and a
 * comment before the record is searched; a hyphen inside a Patient ID is a value, not a range.
 */
class QueryRefusalTest {

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
    void aPartialWildcardIsRefusedWithoutSearching() throws IOException {
        CommandSet response = find(identifier("STUDY", 0x00100020, "LO", "AB*"));
        assertEquals(Status.IDENTIFIER_DOES_NOT_MATCH, response.uint16Or(CommandSet.STATUS, -1));
        assertTrue(response.text(CommandSet.ERROR_COMMENT).contains("wildcard"),
                response.text(CommandSet.ERROR_COMMENT));
        assertTrue(network.searches.isEmpty(), "nothing was searched");
    }

    @Test
    void aSingleCharacterWildcardIsRefusedToo() throws IOException {
        CommandSet response = find(identifier("STUDY", 0x0020000D, "UI", "1.2.3?"));
        assertEquals(Status.IDENTIFIER_DOES_NOT_MATCH, response.uint16Or(CommandSet.STATUS, -1));
    }

    @Test
    void matchingOnANameIsRefusedNotIgnored() throws IOException {
        CommandSet response = find(identifier("STUDY", 0x00100010, "PN", "DOE^JOHN"));
        assertEquals(Status.IDENTIFIER_DOES_NOT_MATCH, response.uint16Or(CommandSet.STATUS, -1));
        assertTrue(response.text(CommandSet.ERROR_COMMENT).contains("(0010,0010)"));
    }

    @Test
    void aHyphenInsideAPatientIdIsAnExactValue() throws IOException {
        CommandSet response = find(identifier("STUDY", 0x00100020, "LO", "MRN-2026-17"));
        assertEquals(Status.SUCCESS, response.uint16Or(CommandSet.STATUS, -1));
        assertEquals("https://panacea.org/fhir/sid/dicom-patient-id|MRN-2026-17",
                network.searches.get(0).parameters().get("identifier"));
    }

    @Test
    void aSeriesQueryWithoutItsStudyIsRefused() throws IOException {
        CommandSet response = find(identifier("SERIES", 0x00080060, "CS", "CT"));
        assertEquals(Status.IDENTIFIER_DOES_NOT_MATCH, response.uint16Or(CommandSet.STATUS, -1));
    }

    private static Identifier identifier(String level, int tag, String vr, String value) {
        Identifier identifier = new Identifier(false);
        identifier.put(0x00080052, "CS", level);
        identifier.put(tag, vr, value);
        return identifier;
    }

    /** One C-FIND, Study Root, implicit VR little endian; the final response. */
    private CommandSet find(Identifier identifier) throws IOException {
        try (Peer peer = new Peer(network.port())) {
            peer.associate(Peer.request("PANACEA", "FINDSCU", 16384, Peer.context(1, Uids.STUDY_ROOT_FIND,
                    Uids.IMPLICIT_VR_LITTLE_ENDIAN)));
            assertEquals(Pdu.ASSOCIATE_AC, peer.read().type());
            CommandSet find = new CommandSet().uint16(CommandSet.COMMAND_FIELD, 0x0020)
                    .uint16(CommandSet.MESSAGE_ID, 1).uint16(CommandSet.PRIORITY, 0)
                    .uint16(CommandSet.COMMAND_DATA_SET_TYPE, 0)
                    .text(CommandSet.AFFECTED_SOP_CLASS_UID, Uids.STUDY_ROOT_FIND);
            peer.pdv(1, true, true, find.encode());
            peer.pdv(1, false, true, identifier.encode());
            return CommandSet.decode(Peer.pdvValue(peer.read()));
        }
    }
}

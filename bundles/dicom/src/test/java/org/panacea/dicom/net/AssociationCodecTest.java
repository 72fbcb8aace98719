package org.panacea.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The association codec and the PDU reader fed what an attacker would send: every mutation of a valid request,
 * every truncation, random bytes, a huge length field, an unknown type. Each is refused with a
 * {@link ProtocolException} naming the problem (an A-ABORT on the wire), never an index error or an allocation the
 * peer sized.
 */
class AssociationCodecTest {

    private static final AssociationRequest REQUEST = new AssociationRequest("PANACEA", "CT_ROOM1",
            AssociationRequest.DICOM_APPLICATION_CONTEXT, List.of(new PresentationContext(1,
                    "1.2.840.10008.5.1.4.1.1.2", List.of("1.2.840.10008.1.2.1", "1.2.840.10008.1.2")),
                    new PresentationContext(3, "1.2.840.10008.1.1", List.of("1.2.840.10008.1.2"))),
            16384, "1.2.3.4", "TEST_1", List.of(new RoleSelection("1.2.840.10008.5.1.4.1.1.2", false, true)));

    @Test
    void aRequestSurvivesTheRoundTrip() throws ProtocolException {
        AssociationRequest decoded = AssociationCodec.decodeRequest(AssociationCodec.encodeRequest(REQUEST));
        assertEquals(REQUEST, decoded);
    }

    @Test
    void everyTruncationIsRefusedAsAProtocolError() {
        byte[] valid = AssociationCodec.encodeRequest(REQUEST);
        int refused = 0;
        for (int length = 0; length < valid.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(valid, length);
            // Cutting exactly between two presentation contexts leaves a request without user information, refused
            // for that; a RuntimeException would fail the test.
            try {
                AssociationCodec.decodeRequest(cut);
            } catch (ProtocolException expected) {
                refused++;
            }
        }
        assertEquals(valid.length, refused, "every truncation is refused");
    }

    @Test
    void randomMutationsNeverEscapeAsAnythingButProtocolErrors() {
        byte[] valid = AssociationCodec.encodeRequest(REQUEST);
        Random random = new Random(17);
        int refused = 0;
        for (int round = 0; round < 20000; round++) {
            byte[] mutated = valid.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            try {
                AssociationCodec.decodeRequest(mutated);
            } catch (ProtocolException expected) {
                refused++;
            } catch (RuntimeException escaped) {
                throw new AssertionError("round " + round + " escaped as " + escaped, escaped);
            }
        }
        assertTrue(refused > 1000, "most mutations are refused, " + refused + " were");
    }

    @Test
    void randomBytesAreRefused() {
        Random random = new Random(3);
        for (int round = 0; round < 2000; round++) {
            byte[] noise = new byte[random.nextInt(400)];
            random.nextBytes(noise);
            try {
                AssociationCodec.decodeRequest(noise);
            } catch (ProtocolException expected) {
                // refused with a message
            }
        }
    }

    @Test
    void anEvenPresentationContextIdIsRefused() {
        byte[] request = AssociationCodec.encodeRequest(new AssociationRequest("PANACEA", "CT", AssociationRequest
                .DICOM_APPLICATION_CONTEXT, List.of(new PresentationContext(2, "1.2.840.10008.1.1",
                        List.of("1.2.840.10008.1.2"))), 0, "1.2.3", "", List.of()));
        ProtocolException refused = assertThrows(ProtocolException.class, () -> AssociationCodec.decodeRequest(
                request));
        assertTrue(refused.getMessage().contains("not odd"), refused.getMessage());
    }

    @Test
    void aHugeLengthFieldIsRefusedBeforeAnythingIsAllocated() {
        byte[] header = {1, 0, (byte) 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        PduInput in = new PduInput(new ByteArrayInputStream(header), 65536);
        ProtocolException refused = assertThrows(ProtocolException.class, in::read);
        assertEquals(ProtocolException.INVALID_PDU_PARAMETER_VALUE, refused.abortReason());
        assertTrue(refused.getMessage().contains("2147483647 bytes"), refused.getMessage());
    }

    @Test
    void anUnknownPduTypeIsRefused() {
        PduInput in = new PduInput(new ByteArrayInputStream(new byte[] {(byte) 0x42, 0, 0, 0, 0, 0}), 65536);
        ProtocolException refused = assertThrows(ProtocolException.class, in::read);
        assertEquals(ProtocolException.UNRECOGNIZED_PDU, refused.abortReason());
    }

    @Test
    void aPduCutShortIsRefused() {
        PduInput in = new PduInput(new ByteArrayInputStream(new byte[] {4, 0, 0, 0, 0, 100, 1, 2, 3}), 65536);
        ProtocolException refused = assertThrows(ProtocolException.class, in::read);
        assertTrue(refused.getMessage().contains("ended inside"), refused.getMessage());
    }

    @Test
    void aCleanEndBetweenPdusIsNotAnError() throws IOException, ProtocolException {
        assertEquals(null, new PduInput(new ByteArrayInputStream(new byte[0]), 65536).read());
    }
}

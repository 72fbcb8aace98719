package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Known answers for the formats every stored trail depends on: the entry hash over {@link CanonicalEncoding}, the
 * checkpoint and head seals of {@link CheckpointSealer} and the sealed, chained lines of the anchor files
 * ({@link AnchorLine}). The expected values were not produced by this code: the script
 * {@code known-answers/audit_known_answers.py} (test resources) rebuilds the encoding from its documentation with
 * Python's {@code hashlib} and {@code hmac}, and what it printed is {@code audit_known_answers.txt} beside it.
 * <p>
 * A failure here means trails and anchor files written before the change would no longer verify. Change a format only
 * under a new domain label (and with a way to verify the old one), never by updating these values.
 */
class AuditKnownAnswerTest {

    private static final HexFormat HEX = HexFormat.of();
    /** 00 01 02 ... 1f. */
    private static final byte[] KEY =
            HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    // Two-, three- and four-byte UTF-8 (u-umlaut, e-diaeresis, stethoscope U+1FA7A, em dash, a-umlaut).
    private static final String DETAILS_A = "Befund f\u00fcr Zo\u00eb \uD83E\uDE7A \u2014 \u00e4rztlich gepr\u00fcft";
    private static final String DETAILS_A_DIGEST = "9d138a5aeae98508a19901d5540a4e9f84a43752495fc49a4e3e16d1234a3091";

    /** Every field filled, non-ASCII text, a sequence number wider than 32 bits, nanoseconds. */
    private static final EntryRow ENTRY_A = new EntryRow(1234567890123L,
            Instant.parse("2026-12-07T10:15:30.123456789Z"), "dr.m\u00fcller", "clinician", "READ", "Patient",
            "7353e17f-0cd5-5b0a-c736-92b9ca5f8366", "Patient/\u00f8-17", "SUCCESS", "10.0.0.5", DETAILS_A_DIGEST,
            "0123456789abcdef".repeat(4), null);
    private static final String ENTRY_A_CANONICAL =
            "0000001670616e616365612d61756469742d656e7472792d76310000011f71fb04cb000000006b16874200000000075bcd15"
            + "0000000a64722e6dc3bc6c6c657200000009636c696e696369616e00000004524541440000000750617469656e7400000024"
            + "37333533653137662d306364352d356230612d633733362d3932623963613566383336360000000d50617469656e742fc3b8"
            + "2d313700000007535543434553530000000831302e302e302e35000000403964313338613561656165393835303861313939"
            + "3031643535343061346539663834613433373532343935666334396134653365313664313233346133303931000000403031"
            + "3233343536373839616263646566303132333435363738396162636465663031323334353637383961626364656630313233"
            + "343536373839616263646566";
    private static final String ENTRY_A_HASH = "ad805001f4cb3e14d1b47d94c63ae2ff543cc7df6fbbe8772c66a567e5628ba8";

    /** The first entry: empty fields, the genesis hash, an instant before the epoch (negative seconds). */
    private static final EntryRow ENTRY_B = new EntryRow(1, Instant.parse("1969-12-31T23:59:59.999999999Z"),
            "system:plugin-gate", "", "PLUGIN_REFUSED", "Bundle", "", "", "DENIED", "",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", EntryHasher.GENESIS_HASH, null);
    private static final String ENTRY_B_CANONICAL =
            "0000001670616e616365612d61756469742d656e7472792d76310000000000000001ffffffffffffffff000000003b9ac9ff"
            + "0000001273797374656d3a706c7567696e2d67617465000000000000000e504c5547494e5f52454655534544000000064275"
            + "6e646c6500000000000000000000000644454e49454400000000000000406533623063343432393866633163313439616662"
            + "6634633839393666623932343237616534316534363439623933346361343935393931623738353262383535000000403030"
            + "3030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030"
            + "303030303030303030303030";
    private static final String ENTRY_B_HASH = "f75772bb53799837463e314a9c899ee4c678f90ddbd710e6ed118c970faa9b4d";

    private static final String HASH_1 = "00112233445566778899aabbccddeeff".repeat(2);
    private static final String HASH_2 = "fedcba9876543210".repeat(4);
    private static final String CHECKPOINT_2000 = "8334569561105322a1b16fa3d1cb611187b4351d694c2001d70949b18a5c2091";
    private static final String CHECKPOINT_GENESIS =
            "578287c3d217768edc2a049b7910ed953b1c12f2442a5fab6b096d1b7e452dbe";
    private static final String HEAD_2042 = "c3f15744ae707415bd856b3d9a5d55d4b488e8d1c90425683fba871f5175f95d";
    private static final String HEAD_GENESIS = "1395fc73b98c1412ac041380c50bed671985b2d4d6118dc8bd9c2af8778463e5";

    private static final String NODE = "station-\u00f6";
    private static final String ANCHOR_1_SEAL = "5f5eb3d0bcdcd050bdb3924d19eecb871df32923bc783379fd7cc856353eab25";
    private static final String ANCHOR_2_SEAL = "8e51e614be1c686214eafebc681ceafc5089acf28874d67cce4cba574ff9c680";
    private static final String ANCHOR_3_SEAL = "121bd39bc64f751f0355881376fbc88744d37e876debd943f7fefb9a6c5b536e";
    private static final String ANCHOR_1_LINE = "1 checkpoint 1000 " + HASH_1 + " 2026-12-07T10:00:00.123456Z - "
            + ANCHOR_1_SEAL;
    private static final String ANCHOR_2_LINE = "2 epoch 1001 " + HASH_2 + " 2026-12-07T10:05:00Z by=admin,"
            + "reason=Wiederherstellung%20nach%20St%C3%B6rung%2C%2002:00%20%3D%20100%25%20%E2%9C%93 " + ANCHOR_2_SEAL;
    private static final String ANCHOR_3_LINE = "3 lost 0 " + EntryHasher.GENESIS_HASH
            + " 2026-12-07T10:06:07.000000001Z action=LOGIN,source=login " + ANCHOR_3_SEAL;

    private final EntryHasher hasher = new EntryHasher();
    private final CheckpointSealer sealer = new CheckpointSealer(KEY);

    @Test
    void detailsDigestIsSha256OfTheirUtf8() {
        assertEquals(DETAILS_A_DIGEST, hasher.digestDetails(DETAILS_A));
    }

    @Test
    void entryWithEveryFieldAndNonAsciiText() {
        assertEquals(ENTRY_A_CANONICAL, HEX.formatHex(EntryHasher.canonical(ENTRY_A)));
        assertEquals(ENTRY_A_HASH, hasher.hash(ENTRY_A));
        assertEquals(ENTRY_A_HASH, hasher.hash(ENTRY_A.withHash(ENTRY_A_HASH)), "the stored hash is no input");
    }

    @Test
    void firstEntryWithEmptyFieldsAndAnInstantBeforeTheEpoch() {
        assertEquals(ENTRY_B_CANONICAL, HEX.formatHex(EntryHasher.canonical(ENTRY_B)));
        assertEquals(ENTRY_B_HASH, hasher.hash(ENTRY_B));
    }

    @Test
    void checkpointSeals() {
        assertEquals(new Seal(2000, HASH_1, CHECKPOINT_2000), sealer.sealCheckpoint(2000, HASH_1));
        assertEquals(CHECKPOINT_GENESIS, sealer.sealCheckpoint(0, EntryHasher.GENESIS_HASH).mac());
        assertTrue(sealer.isValidCheckpoint(new Seal(2000, HASH_1, CHECKPOINT_2000)));
    }

    @Test
    void headSeals() {
        assertEquals(new Seal(2042, HASH_2, HEAD_2042), sealer.sealHead(new ChainHead(2042, HASH_2)));
        assertEquals(HEAD_GENESIS, sealer.sealHead(ChainHead.GENESIS).mac());
        assertTrue(sealer.isValidHead(new Seal(2042, HASH_2, HEAD_2042)));
    }

    @Test
    void anchorLinesAreSealedChainedAndWrittenAsDocumented() {
        AnchorLine first = AnchorLine.seal(sealer, NODE, 1, AnchorKind.CHECKPOINT, 1000, HASH_1,
                Instant.parse("2026-12-07T10:00:00.123456Z"), Map.of(), "");
        // Attributes given out of order, with a value holding '%', ',', '=', spaces and non-ASCII text.
        Map<String, String> epochAttributes = new LinkedHashMap<>();
        epochAttributes.put("reason", "Wiederherstellung nach St\u00f6rung, 02:00 = 100% \u2713");
        epochAttributes.put("by", "admin");
        AnchorLine second = AnchorLine.seal(sealer, NODE, 2, AnchorKind.EPOCH, 1001, HASH_2,
                Instant.parse("2026-12-07T10:05:00Z"), epochAttributes, first.seal());
        AnchorLine third = AnchorLine.seal(sealer, NODE, 3, AnchorKind.LOST, 0, EntryHasher.GENESIS_HASH,
                Instant.parse("2026-12-07T10:06:07.000000001Z"), Map.of("source", "login", "action", "LOGIN"),
                second.seal());

        assertEquals(ANCHOR_1_SEAL, first.seal());
        assertEquals(ANCHOR_2_SEAL, second.seal());
        assertEquals(ANCHOR_3_SEAL, third.seal());
        assertEquals(ANCHOR_1_LINE, first.format());
        assertEquals(ANCHOR_2_LINE, second.format());
        assertEquals(ANCHOR_3_LINE, third.format());
        assertTrue(AnchorLine.parse(NODE, ANCHOR_1_LINE).isSealedAfter(sealer, ""));
        assertTrue(AnchorLine.parse(NODE, ANCHOR_2_LINE).isSealedAfter(sealer, ANCHOR_1_SEAL));
        assertTrue(AnchorLine.parse(NODE, ANCHOR_3_LINE).isSealedAfter(sealer, ANCHOR_2_SEAL));
    }

    /** The values above are the ones the independent script printed, not edited copies. */
    @Test
    void theExpectedValuesAreWhatTheScriptPrinted() throws IOException {
        String printed;
        try (InputStream in = getClass().getResourceAsStream("/known-answers/audit_known_answers.txt")) {
            printed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("key", HEX.formatHex(KEY));
        expected.put("details A digest", DETAILS_A_DIGEST);
        expected.put("entry A canonical", ENTRY_A_CANONICAL);
        expected.put("entry A hash", ENTRY_A_HASH);
        expected.put("entry B canonical", ENTRY_B_CANONICAL);
        expected.put("entry B hash", ENTRY_B_HASH);
        expected.put("checkpoint 2000", CHECKPOINT_2000);
        expected.put("head 2042", HEAD_2042);
        expected.put("head genesis", HEAD_GENESIS);
        expected.put("checkpoint genesis", CHECKPOINT_GENESIS);
        expected.put("anchor 1 seal", ANCHOR_1_SEAL);
        expected.put("anchor 2 seal", ANCHOR_2_SEAL);
        expected.put("anchor 3 seal", ANCHOR_3_SEAL);
        expected.put("anchor 1 line", ANCHOR_1_LINE);
        expected.put("anchor 2 line", ANCHOR_2_LINE);
        expected.put("anchor 3 line", ANCHOR_3_LINE);
        Map<String, String> lines = new LinkedHashMap<>();
        printed.lines().forEach(line -> lines.put(line.substring(0, 20).strip(), line.substring(20)));
        assertEquals(expected, lines);
    }
}

package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class CheckpointSealerTest {

    private static final String HASH = "ab".repeat(32);
    private final byte[] key = filled(7);
    private final CheckpointSealer sealer = new CheckpointSealer(key);

    @Test
    void acceptsItsOwnSeals() {
        assertTrue(sealer.isValidCheckpoint(sealer.sealCheckpoint(10, HASH)));
        assertTrue(sealer.isValidHead(sealer.sealHead(new ChainHead(10, HASH))));
    }

    @Test
    void rejectsAnyChangeToASeal() {
        Seal seal = sealer.sealCheckpoint(10, HASH);

        assertFalse(sealer.isValidCheckpoint(new Seal(11, seal.hash(), seal.mac())));
        assertFalse(sealer.isValidCheckpoint(new Seal(10, "cd".repeat(32), seal.mac())));
        assertFalse(sealer.isValidCheckpoint(new Seal(10, seal.hash(), "0".repeat(64))));
        assertFalse(sealer.isValidCheckpoint(new Seal(10, seal.hash(), null)));
    }

    @Test
    void rejectsSealsMadeWithAnotherKey() {
        Seal foreign = new CheckpointSealer(filled(8)).sealCheckpoint(10, HASH);

        assertFalse(sealer.isValidCheckpoint(foreign));
    }

    @Test
    void aHeadSealIsNoCheckpointAndViceVersa() {
        Seal head = sealer.sealHead(new ChainHead(10, HASH));
        Seal checkpoint = sealer.sealCheckpoint(10, HASH);

        assertFalse(sealer.isValidCheckpoint(head));
        assertFalse(sealer.isValidHead(checkpoint));
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[AuditKeyFile.KEY_BYTES];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}

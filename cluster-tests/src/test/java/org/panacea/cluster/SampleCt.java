package org.panacea.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CT the cluster tests store ({@code panacea.cluster.ct}, pydicom's CT_small), in copies with study, series and
 * instance UIDs of their own, so that each test run stores new images into its database.
 */
final class SampleCt {

    /** What each of CT_small's study, series and instance UIDs ends in. */
    private static final String UID_TAIL = ".20040119072730.12322";

    private SampleCt() {
    }

    /** The CT file as the build ships it. */
    static byte[] original() throws IOException {
        return Files.readAllBytes(Path.of(System.getProperty("panacea.cluster.ct")));
    }

    /**
     * CT_small with study, series and instance UIDs of its own: the tail every one of them ends in is replaced by
     * {@code .<run>.<copy>} of the same length, so every length in the file stays as it is. {@code run} has 14
     * digits, {@code copy} 5.
     */
    static byte[] withNewUids(byte[] ct, long run, int copy) {
        byte[] from = UID_TAIL.getBytes(StandardCharsets.US_ASCII);
        byte[] to = tail(run, copy).getBytes(StandardCharsets.US_ASCII);
        assertEquals(from.length, to.length);
        byte[] result = ct.clone();
        int replaced = 0;
        for (int i = 0; i + from.length <= result.length; i++) {
            boolean match = true;
            for (int j = 0; j < from.length && match; j++) {
                match = result[i + j] == from[j];
            }
            if (match) {
                System.arraycopy(to, 0, result, i, to.length);
                replaced++;
            }
        }
        assertTrue(replaced >= 3, "CT_small's UIDs were not found");
        return result;
    }

    /** A run number of 14 digits for {@link #withNewUids(byte[], long, int)}, new at every call. */
    static long newRun() {
        return 10_000_000_000_000L + Math.floorMod(new java.util.Random().nextLong(), 89_999_999_999_999L);
    }

    /** The WADO-RS path of {@link #withNewUids(byte[], long, int)}'s copy: its study, series and instance. */
    static String wadoPath(long run, int copy) {
        return "/dicomweb/studies/1.3.6.1.4.1.5962.1.2.1" + tail(run, copy) + "/series/1.3.6.1.4.1.5962.1.3.1.1"
                + tail(run, copy) + "/instances/" + instanceUid(run, copy);
    }

    /** The SOP Instance UID of {@link #withNewUids(byte[], long, int)}'s copy. */
    static String instanceUid(long run, int copy) {
        return "1.3.6.1.4.1.5962.1.1.1.1.1" + tail(run, copy);
    }

    private static String tail(long run, int copy) {
        return "." + run + "." + copy;
    }
}

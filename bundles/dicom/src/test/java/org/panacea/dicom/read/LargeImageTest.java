package org.panacea.dicom.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.Pixels;

/**
 * A 2048 x 2048 x 16-bit frame (8 MiB), native and RLE: the reader keeps one copy of the pixels (the frame it hands
 * out) plus fixed buffers (64 KiB each). Timings are printed, not asserted.
 */
class LargeImageTest {

    private static final int SIZE = 2048;
    private static final long FRAME_BYTES = 2L * SIZE * SIZE;

    private final DicomReader reader = new DicomReader();

    /** A smooth gradient with noise, like a real image: RLE compresses it somewhat, not to nothing. */
    private static long[][] image() {
        long[][] values = new long[1][SIZE * SIZE];
        java.util.Random random = new java.util.Random(2048);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                values[0][y * SIZE + x] = (x + y) / 4 + (random.nextInt(8) < 6 ? 0 : random.nextInt(40)) - 500;
            }
        }
        return values;
    }

    @Test
    void nativeFrameIsReadIntoOneCopy() {
        long[][] values = image();
        byte[] file = PixelLayoutsTest.file(DicomBuilder.EXPLICIT_LE, PixelLayoutsTest.Depth.S16, SIZE, SIZE, values);
        long allocated = measure("explicit VR little endian", file, values);
        assertTrue(allocated < FRAME_BYTES + (512 << 10), "allocated " + allocated + " bytes for an 8 MiB frame");
    }

    @Test
    void rleFrameIsDecodedIntoOneCopy() {
        long[][] values = image();
        byte[] file = PixelLayoutsTest.file(DicomBuilder.RLE, PixelLayoutsTest.Depth.S16, SIZE, SIZE, values);
        long allocated = measure("RLE lossless", file, values);
        assertTrue(allocated < FRAME_BYTES + (512 << 10), "allocated " + allocated + " bytes for an 8 MiB frame");
    }

    private long measure(String what, byte[] file, long[][] values) {
        AtomicReference<DicomInstance> read = new AtomicReference<>();
        long best = Long.MAX_VALUE;
        long allocated = 0;
        for (int run = 0; run < 8; run++) {
            long start = System.nanoTime();
            allocated = Allocations.during(() -> read.set(reader.read(new ByteArrayInputStream(file), file.length)),
                    e -> {
                        throw new AssertionError(e);
                    });
            best = Math.min(best, System.nanoTime() - start);
        }
        short[] samples = ((Pixels.Gray16) read.get().frames().get(0)).values();
        for (int i = 0; i < samples.length; i += 997) {
            assertEquals(values[0][i], samples[i]);
        }
        System.out.printf("2048x2048x16 %s (%.1f MiB file): best of 8 reads %.1f ms, %.1f MiB allocated per read%n",
                what, file.length / 1048576.0, best / 1e6, allocated / 1048576.0);
        return allocated;
    }
}

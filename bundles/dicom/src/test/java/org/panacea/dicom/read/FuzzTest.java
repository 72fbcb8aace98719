package org.panacea.dicom.read;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged versions of every real sample: cut at many offsets, bytes changed at random, 32-bit lengths forged. The
 * reader must either read them or refuse them with a classified {@link DicomFormatException} (never another
 * exception, never its defect safety net), and must not allocate more than the file justifies: with the length
 * known, at most 100 times the file (1100 for deflated files: deflate's best ratio is 1032) plus a fixed 8 MiB for
 * buffers; with the length unknown, within the configured pixel limit. Seeds are fixed, so failures reproduce.
 */
class FuzzTest {

    private static final long FIXED_OVERHEAD = 8L << 20;
    private static final long UNKNOWN_LENGTH_PIXEL_LIMIT = 32L << 20;

    private static final AtomicLong READ = new AtomicLong();
    private static final AtomicLong REFUSED = new AtomicLong();
    private static final Map<String, Long> REFUSALS = new ConcurrentHashMap<>();
    private static volatile double worstRatio;
    private static volatile String worstCase = "";

    private final DicomReader reader = new DicomReader();
    private final DicomReader streaming = new DicomReader(
            new DicomReadLimits(UNKNOWN_LENGTH_PIXEL_LIMIT, 256L << 20, 65536, 64));

    static Stream<String> samples() {
        return Samples.all().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void truncatedAnywhere(String file) {
        byte[] data = Samples.bytes(file);
        int step = Math.max(1, data.length / 600);
        for (int length = 0; length < data.length; length += length < 1024 ? 1 : step) {
            byte[] cut = Arrays.copyOf(data, length);
            check(file, "cut at " + length, cut, true);
            if (length % 3 == 0) {
                check(file, "cut at " + length + ", length unknown", cut, false);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void bytesChangedAtRandom(String file) {
        byte[] data = Samples.bytes(file);
        Random random = new Random(file.hashCode());
        for (int mutant = 0; mutant < 400; mutant++) {
            byte[] changed = data.clone();
            StringBuilder what = new StringBuilder("changed");
            int changes = 1 + random.nextInt(4);
            for (int c = 0; c < changes; c++) {
                int at = random.nextInt(data.length);
                byte value = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (data[at] ^ 1 << random.nextInt(8));
                changed[at] = value;
                what.append(' ').append(at).append('=').append(value & 0xFF);
            }
            check(file, what.toString(), changed, mutant % 2 == 0);
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void lengthsForged(String file) {
        byte[] data = Samples.bytes(file);
        Random random = new Random(~file.hashCode());
        long[] lengths = { 0xFFFFFFF0L, 0xFFFFFFFFL, 0x7FFFFFFFL, 0x80000000L, 0x00FFFFFEL, 65536, 2, 1, 0 };
        for (int mutant = 0; mutant < 300; mutant++) {
            byte[] forged = data.clone();
            int at = 132 + random.nextInt(Math.max(1, data.length - 136));
            long length = random.nextInt(3) == 0 ? random.nextInt() & 0xFFFFFFFFL
                    : lengths[random.nextInt(lengths.length)];
            boolean bigEndian = random.nextInt(4) == 0;
            for (int b = 0; b < 4; b++) {
                forged[at + b] = (byte) (length >>> (bigEndian ? 8 * (3 - b) : 8 * b));
            }
            String what = "length " + length + (bigEndian ? " big endian" : "") + " at " + at;
            check(file, what, forged, mutant % 2 == 0);
        }
    }

    @AfterAll
    static void summary() {
        System.out.printf("Fuzz: %d damaged inputs read, %d refused; most allocated with the length known (files of 4 KiB"
                + " or more): %.1f times the file (%s)%n", READ.get(), REFUSED.get(), worstRatio, worstCase);
        REFUSALS.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> System.out.printf("  %6d  %s%n", e.getValue(), e.getKey()));
    }

    private void check(String file, String what, byte[] mutant, boolean lengthKnown) {
        long allocated = Allocations.during(() -> {
            if (lengthKnown) {
                reader.read(new ByteArrayInputStream(mutant), mutant.length);
            } else {
                streaming.read(new ByteArrayInputStream(mutant), -1);
            }
            READ.incrementAndGet();
        }, thrown -> {
            REFUSED.incrementAndGet();
            REFUSALS.merge(thrown.getMessage().replaceAll("[0-9]+", "N").replaceAll(" at .*", ""), 1L, Long::sum);
            if (!(thrown instanceof DicomFormatException)) {
                fail(file + " " + what + ": threw " + thrown, thrown);
            }
            if (thrown.getCause() != null) {
                fail(file + " " + what + ": reader defect " + thrown.getMessage(), thrown.getCause());
            }
        });
        long bound = lengthKnown ? (file.contains("dfl") ? 1100L : 100L) * mutant.length + FIXED_OVERHEAD
                : 2 * UNKNOWN_LENGTH_PIXEL_LIMIT + FIXED_OVERHEAD;
        if (lengthKnown && mutant.length >= 4096 && (double) allocated / mutant.length > worstRatio) {
            worstRatio = (double) allocated / mutant.length;
            worstCase = file + " " + what;
        }
        assertTrue(allocated <= bound, file + " " + what + ": allocated " + allocated + " bytes, bound " + bound);
    }
}

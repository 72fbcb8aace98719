package org.panacea.plugins.support.pixels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The mask loops on the JDK's Vector API: a whole register of samples compared, masked and stored per step (32
 * 16-bit samples on AVX-512), where the JIT does not vectorise the plain loops by itself (it does not mix the 16-bit
 * loads with the 8-bit stores). Sums are widened to 32-bit lanes, flushed to a long before they could overflow.
 * <p>
 * Loading this class needs the {@code jdk.incubator.vector} module; {@link PixelLoops} falls back to
 * {@link ScalarPixelKernels} when it is not there.
 */
final class VectorPixelKernels implements PixelKernels {

    /** The widest integer lanes the processor computes natively (512 bits on AVX-512, 256 on AVX2). */
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    /** As many 16-bit samples as {@link #INTS} has lanes, so one widening fills one int register. */
    private static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class,
            VectorShape.forBitSize(INTS.vectorBitSize() / 2));
    /** As many bytes as {@link #INTS} has lanes: one mask byte per sample. */
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class,
            VectorShape.forBitSize(INTS.vectorBitSize() / 4));
    /**
     * Steps between flushes of the 32-bit lane sums. The lanes are added up in 32 bits too (reduceLanesToLong
     * widens only the result), so all lanes together must stay below 2^31: 2048 steps of 16 lanes of at most 65535.
     */
    private static final int FLUSH_STEPS = (1 << 31 - 16) / INTS.length();

    /** Whether the preferred vectors are wide enough for these loops to beat scalar code. */
    static boolean worthwhile() {
        return INTS.vectorBitSize() >= 256;
    }

    @Override
    public WindowTally window(short[] samples, boolean signed, int lower, int upper, byte[] mask, int from,
            int to) {
        // Unsigned samples compare as signed ones once their top bit is flipped (bounds shifted to match).
        short flip = signed ? 0 : Short.MIN_VALUE;
        // Every constant vector is made once, outside the loop: a broadcast inside it may not be compiled to
        // vector code when the loop is inlined deep into a caller, and then each step allocates.
        ShortVector flips = ShortVector.broadcast(SHORTS, flip);
        ShortVector low = ShortVector.broadcast(SHORTS, (short) (lower ^ flip));
        ShortVector high = ShortVector.broadcast(SHORTS, (short) (upper ^ flip));
        ShortVector all = ShortVector.broadcast(SHORTS, (short) -1);
        IntVector widen = IntVector.broadcast(INTS, signed ? -1 : 0xFFFF);
        ShortVector zero = ShortVector.zero(SHORTS);
        IntVector sums = IntVector.zero(INTS);
        IntVector counts = IntVector.zero(INTS);
        long count = 0;
        long sum = 0;
        int steps = 0;
        int i = from;
        int bound = from + SHORTS.loopBound(to - from);
        for (; i < bound; i += SHORTS.length()) {
            ShortVector stored = ShortVector.fromArray(SHORTS, samples, i);
            ShortVector ordered = stored.lanewise(VectorOperators.XOR, flips);
            VectorMask<Short> inside = ordered.compare(VectorOperators.GE, low)
                    .and(ordered.compare(VectorOperators.LE, high));
            ShortVector ones = zero.blend(all, inside);
            ones.convertShape(VectorOperators.S2B, BYTES, 0).reinterpretAsBytes().intoArray(mask, i);
            IntVector wideOnes = (IntVector) ones.convertShape(VectorOperators.S2I, INTS, 0);
            IntVector wide = ((IntVector) stored.convertShape(VectorOperators.S2I, INTS, 0)).and(widen);
            sums = sums.add(wide.and(wideOnes));
            counts = counts.sub(wideOnes);
            if (++steps == FLUSH_STEPS) {
                sum += sums.reduceLanesToLong(VectorOperators.ADD);
                count += counts.reduceLanesToLong(VectorOperators.ADD);
                sums = IntVector.zero(INTS);
                counts = IntVector.zero(INTS);
                steps = 0;
            }
        }
        sum += sums.reduceLanesToLong(VectorOperators.ADD);
        count += counts.reduceLanesToLong(VectorOperators.ADD);
        WindowTally tail = SCALAR.window(samples, signed, lower, upper, mask, i, to);
        return new WindowTally(count, sum).plus(tail);
    }

    @Override
    public WindowTally window(byte[] samples, int lower, int upper, byte[] mask, int from, int to) {
        ByteVector flips = ByteVector.broadcast(BYTES, Byte.MIN_VALUE);
        ByteVector low = ByteVector.broadcast(BYTES, (byte) (lower ^ Byte.MIN_VALUE));
        ByteVector high = ByteVector.broadcast(BYTES, (byte) (upper ^ Byte.MIN_VALUE));
        ByteVector all = ByteVector.broadcast(BYTES, (byte) -1);
        IntVector widen = IntVector.broadcast(INTS, 0xFF);
        ByteVector zero = ByteVector.zero(BYTES);
        IntVector sums = IntVector.zero(INTS);
        IntVector counts = IntVector.zero(INTS);
        long count = 0;
        long sum = 0;
        int steps = 0;
        int i = from;
        int bound = from + BYTES.loopBound(to - from);
        for (; i < bound; i += BYTES.length()) {
            ByteVector stored = ByteVector.fromArray(BYTES, samples, i);
            ByteVector ordered = stored.lanewise(VectorOperators.XOR, flips);
            VectorMask<Byte> inside = ordered.compare(VectorOperators.GE, low)
                    .and(ordered.compare(VectorOperators.LE, high));
            ByteVector ones = zero.blend(all, inside);
            ones.intoArray(mask, i);
            IntVector wideOnes = (IntVector) ones.convertShape(VectorOperators.B2I, INTS, 0);
            IntVector wide = ((IntVector) stored.convertShape(VectorOperators.B2I, INTS, 0)).and(widen);
            sums = sums.add(wide.and(wideOnes));
            counts = counts.sub(wideOnes);
            if (++steps == FLUSH_STEPS) {
                sum += sums.reduceLanesToLong(VectorOperators.ADD);
                count += counts.reduceLanesToLong(VectorOperators.ADD);
                sums = IntVector.zero(INTS);
                counts = IntVector.zero(INTS);
                steps = 0;
            }
        }
        sum += sums.reduceLanesToLong(VectorOperators.ADD);
        count += counts.reduceLanesToLong(VectorOperators.ADD);
        WindowTally tail = SCALAR.window(samples, lower, upper, mask, i, to);
        return new WindowTally(count, sum).plus(tail);
    }

    @Override
    public void above(short[] samples, boolean signed, int threshold, byte[] mask, int from, int to) {
        short flip = signed ? 0 : Short.MIN_VALUE;
        ShortVector flips = ShortVector.broadcast(SHORTS, flip);
        ShortVector limit = ShortVector.broadcast(SHORTS, (short) (threshold ^ flip));
        ShortVector all = ShortVector.broadcast(SHORTS, (short) -1);
        ShortVector zero = ShortVector.zero(SHORTS);
        int i = from;
        int bound = from + SHORTS.loopBound(to - from);
        for (; i < bound; i += SHORTS.length()) {
            ShortVector ordered = ShortVector.fromArray(SHORTS, samples, i).lanewise(VectorOperators.XOR, flips);
            zero.blend(all, ordered.compare(VectorOperators.GT, limit))
                    .convertShape(VectorOperators.S2B, BYTES, 0).reinterpretAsBytes().intoArray(mask, i);
        }
        SCALAR.above(samples, signed, threshold, mask, i, to);
    }

    @Override
    public void above(byte[] samples, int threshold, byte[] mask, int from, int to) {
        ByteVector flips = ByteVector.broadcast(BYTES, Byte.MIN_VALUE);
        ByteVector limit = ByteVector.broadcast(BYTES, (byte) (threshold ^ Byte.MIN_VALUE));
        ByteVector all = ByteVector.broadcast(BYTES, (byte) -1);
        ByteVector zero = ByteVector.zero(BYTES);
        int i = from;
        int bound = from + BYTES.loopBound(to - from);
        for (; i < bound; i += BYTES.length()) {
            ByteVector ordered = ByteVector.fromArray(BYTES, samples, i).lanewise(VectorOperators.XOR, flips);
            zero.blend(all, ordered.compare(VectorOperators.GT, limit)).intoArray(mask, i);
        }
        SCALAR.above(samples, threshold, mask, i, to);
    }

    @Override
    public int[] range(short[] samples, boolean signed, int from, int to) {
        short flip = signed ? 0 : Short.MIN_VALUE;
        ShortVector flips = ShortVector.broadcast(SHORTS, flip);
        ShortVector min = ShortVector.broadcast(SHORTS, Short.MAX_VALUE);
        ShortVector max = ShortVector.broadcast(SHORTS, Short.MIN_VALUE);
        int i = from;
        int bound = from + SHORTS.loopBound(to - from);
        for (; i < bound; i += SHORTS.length()) {
            ShortVector ordered = ShortVector.fromArray(SHORTS, samples, i).lanewise(VectorOperators.XOR, flips);
            min = min.min(ordered);
            max = max.max(ordered);
        }
        int bits = signed ? 0xFFFFFFFF : 0xFFFF;
        int low = (short) (min.reduceLanes(VectorOperators.MIN) ^ flip) & bits;
        int high = (short) (max.reduceLanes(VectorOperators.MAX) ^ flip) & bits;
        if (i == from) {
            return SCALAR.range(samples, signed, from, to);
        }
        if (i < to) {
            int[] tail = SCALAR.range(samples, signed, i, to);
            low = Math.min(low, tail[0]);
            high = Math.max(high, tail[1]);
        }
        return new int[] { low, high };
    }

    /** The loops' tails (fewer samples than one vector) run scalar. */
    private static final ScalarPixelKernels SCALAR = new ScalarPixelKernels();
}

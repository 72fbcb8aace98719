package org.panacea.plugins.support.pixels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
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

    /** The widest 16-bit lanes: the median networks need no widening (32 samples a step on AVX-512). */
    private static final VectorSpecies<Short> MEDIAN = ShortVector.SPECIES_PREFERRED;

    @Override
    public void median(short[][] rows, int radius, short[][] sorted, short[] out, int width) {
        int padded = width + 2 * radius;
        int columns = MEDIAN.loopBound(padded);
        if (radius == 1) {
            sortColumns3(rows, sorted, columns);
        } else {
            sortColumns5(rows, sorted, columns);
        }
        ScalarPixelKernels.sortColumns(rows, radius, sorted, columns, padded);
        int bound = MEDIAN.loopBound(width);
        if (radius == 1) {
            median3x3(sorted, out, bound);
        } else {
            median5x5(sorted, out, bound);
        }
        ScalarPixelKernels.medianOfSortedColumns(sorted, radius, out, bound, width);
    }

    private static void sortColumns3(short[][] rows, short[][] sorted, int bound) {
        for (int x = 0; x < bound; x += MEDIAN.length()) {
            ShortVector a = ShortVector.fromArray(MEDIAN, rows[0], x);
            ShortVector b = ShortVector.fromArray(MEDIAN, rows[1], x);
            ShortVector c = ShortVector.fromArray(MEDIAN, rows[2], x);
            ShortVector low = a.min(b);
            ShortVector high = a.max(b);
            low.min(c).intoArray(sorted[0], x);
            low.max(high.min(c)).intoArray(sorted[1], x);
            high.max(c).intoArray(sorted[2], x);
        }
    }

    private static void sortColumns5(short[][] rows, short[][] sorted, int bound) {
        for (int x = 0; x < bound; x += MEDIAN.length()) {
            ShortVector v0 = ShortVector.fromArray(MEDIAN, rows[0], x);
            ShortVector v1 = ShortVector.fromArray(MEDIAN, rows[1], x);
            ShortVector v2 = ShortVector.fromArray(MEDIAN, rows[2], x);
            ShortVector v3 = ShortVector.fromArray(MEDIAN, rows[3], x);
            ShortVector v4 = ShortVector.fromArray(MEDIAN, rows[4], x);
            // The same nine comparators as ScalarPixelKernels.sortColumns.
            { ShortVector t = v0.min(v1); v1 = v0.max(v1); v0 = t; }
            { ShortVector t = v3.min(v4); v4 = v3.max(v4); v3 = t; }
            { ShortVector t = v2.min(v4); v4 = v2.max(v4); v2 = t; }
            { ShortVector t = v2.min(v3); v3 = v2.max(v3); v2 = t; }
            { ShortVector t = v0.min(v3); v3 = v0.max(v3); v0 = t; }
            { ShortVector t = v0.min(v2); v2 = v0.max(v2); v0 = t; }
            { ShortVector t = v1.min(v4); v4 = v1.max(v4); v1 = t; }
            { ShortVector t = v1.min(v3); v3 = v1.max(v3); v1 = t; }
            { ShortVector t = v1.min(v2); v2 = v1.max(v2); v1 = t; }
            v0.intoArray(sorted[0], x);
            v1.intoArray(sorted[1], x);
            v2.intoArray(sorted[2], x);
            v3.intoArray(sorted[3], x);
            v4.intoArray(sorted[4], x);
        }
    }

    private static void median3x3(short[][] sorted, short[] out, int bound) {
        short[] low = sorted[0];
        short[] mid = sorted[1];
        short[] high = sorted[2];
        for (int x = 0; x < bound; x += MEDIAN.length()) {
            ShortVector maxLow = ShortVector.fromArray(MEDIAN, low, x).max(ShortVector.fromArray(MEDIAN, low, x + 1))
                    .max(ShortVector.fromArray(MEDIAN, low, x + 2));
            ShortVector minHigh = ShortVector.fromArray(MEDIAN, high, x)
                    .min(ShortVector.fromArray(MEDIAN, high, x + 1)).min(ShortVector.fromArray(MEDIAN, high, x + 2));
            ShortVector midMid = median3(ShortVector.fromArray(MEDIAN, mid, x),
                    ShortVector.fromArray(MEDIAN, mid, x + 1), ShortVector.fromArray(MEDIAN, mid, x + 2));
            median3(maxLow, midMid, minHigh).intoArray(out, x);
        }
    }

    private static ShortVector median3(ShortVector a, ShortVector b, ShortVector c) {
        return a.min(b).max(a.max(b).min(c));
    }

    /** The 5x5 network of {@link ScalarPixelKernels#medianOfSortedColumns}, a register of windows at a time. */
    private static void median5x5(short[][] sorted, short[] out, int bound) {
        for (int x = 0; x < bound; x += MEDIAN.length()) {
            ShortVector v0 = ShortVector.fromArray(MEDIAN, sorted[0], x + 0);
            ShortVector v1 = ShortVector.fromArray(MEDIAN, sorted[1], x + 0);
            ShortVector v2 = ShortVector.fromArray(MEDIAN, sorted[2], x + 0);
            ShortVector v3 = ShortVector.fromArray(MEDIAN, sorted[3], x + 0);
            ShortVector v4 = ShortVector.fromArray(MEDIAN, sorted[4], x + 0);
            ShortVector v5 = ShortVector.fromArray(MEDIAN, sorted[0], x + 1);
            ShortVector v6 = ShortVector.fromArray(MEDIAN, sorted[1], x + 1);
            ShortVector v7 = ShortVector.fromArray(MEDIAN, sorted[2], x + 1);
            ShortVector v8 = ShortVector.fromArray(MEDIAN, sorted[3], x + 1);
            ShortVector v9 = ShortVector.fromArray(MEDIAN, sorted[4], x + 1);
            ShortVector v10 = ShortVector.fromArray(MEDIAN, sorted[0], x + 2);
            ShortVector v11 = ShortVector.fromArray(MEDIAN, sorted[1], x + 2);
            ShortVector v12 = ShortVector.fromArray(MEDIAN, sorted[2], x + 2);
            ShortVector v13 = ShortVector.fromArray(MEDIAN, sorted[3], x + 2);
            ShortVector v14 = ShortVector.fromArray(MEDIAN, sorted[4], x + 2);
            ShortVector v15 = ShortVector.fromArray(MEDIAN, sorted[0], x + 3);
            ShortVector v16 = ShortVector.fromArray(MEDIAN, sorted[1], x + 3);
            ShortVector v17 = ShortVector.fromArray(MEDIAN, sorted[2], x + 3);
            ShortVector v18 = ShortVector.fromArray(MEDIAN, sorted[3], x + 3);
            ShortVector v19 = ShortVector.fromArray(MEDIAN, sorted[4], x + 3);
            ShortVector v20 = ShortVector.fromArray(MEDIAN, sorted[0], x + 4);
            ShortVector v21 = ShortVector.fromArray(MEDIAN, sorted[1], x + 4);
            ShortVector v22 = ShortVector.fromArray(MEDIAN, sorted[2], x + 4);
            ShortVector v23 = ShortVector.fromArray(MEDIAN, sorted[3], x + 4);
            ShortVector v24 = ShortVector.fromArray(MEDIAN, sorted[4], x + 4);
            { ShortVector t = v0.min(v5); v5 = v0.max(v5); v0 = t; }
            { ShortVector t = v1.min(v6); v6 = v1.max(v6); v1 = t; }
            { ShortVector t = v2.min(v7); v7 = v2.max(v7); v2 = t; }
            { ShortVector t = v3.min(v8); v8 = v3.max(v8); v3 = t; }
            { ShortVector t = v4.min(v9); v9 = v4.max(v9); v4 = t; }
            { ShortVector t = v10.min(v15); v15 = v10.max(v15); v10 = t; }
            { ShortVector t = v11.min(v16); v16 = v11.max(v16); v11 = t; }
            { ShortVector t = v12.min(v17); v17 = v12.max(v17); v12 = t; }
            { ShortVector t = v13.min(v18); v18 = v13.max(v18); v13 = t; }
            { ShortVector t = v14.min(v19); v19 = v14.max(v19); v14 = t; }
            { ShortVector t = v4.min(v5); v5 = v4.max(v5); v4 = t; }
            { ShortVector t = v14.min(v15); v15 = v14.max(v15); v14 = t; }
            { ShortVector t = v2.min(v4); v4 = v2.max(v4); v2 = t; }
            { ShortVector t = v6.min(v3); v3 = v6.max(v3); v6 = t; }
            { ShortVector t = v7.min(v5); v5 = v7.max(v5); v7 = t; }
            { ShortVector t = v12.min(v14); v14 = v12.max(v14); v12 = t; }
            { ShortVector t = v16.min(v13); v13 = v16.max(v13); v16 = t; }
            { ShortVector t = v17.min(v15); v15 = v17.max(v15); v17 = t; }
            { ShortVector t = v2.min(v1); v1 = v2.max(v1); v2 = t; }
            { ShortVector t = v4.min(v6); v6 = v4.max(v6); v4 = t; }
            { ShortVector t = v7.min(v3); v3 = v7.max(v3); v7 = t; }
            { ShortVector t = v5.min(v8); v8 = v5.max(v8); v5 = t; }
            { ShortVector t = v12.min(v11); v11 = v12.max(v11); v12 = t; }
            { ShortVector t = v14.min(v16); v16 = v14.max(v16); v14 = t; }
            { ShortVector t = v17.min(v13); v13 = v17.max(v13); v17 = t; }
            { ShortVector t = v15.min(v18); v18 = v15.max(v18); v15 = t; }
            v10 = v0.max(v10);
            { ShortVector t = v2.min(v12); v12 = v2.max(v12); v2 = t; }
            { ShortVector t = v1.min(v11); v11 = v1.max(v11); v1 = t; }
            { ShortVector t = v4.min(v14); v14 = v4.max(v14); v4 = t; }
            { ShortVector t = v6.min(v16); v16 = v6.max(v16); v6 = t; }
            { ShortVector t = v7.min(v17); v17 = v7.max(v17); v7 = t; }
            { ShortVector t = v3.min(v13); v13 = v3.max(v13); v3 = t; }
            { ShortVector t = v5.min(v15); v15 = v5.max(v15); v5 = t; }
            v8 = v8.min(v18);
            v9 = v9.min(v19);
            { ShortVector t = v8.min(v10); v10 = v8.max(v10); v8 = t; }
            { ShortVector t = v9.min(v12); v12 = v9.max(v12); v9 = t; }
            { ShortVector t = v6.min(v8); v8 = v6.max(v8); v6 = t; }
            { ShortVector t = v7.min(v9); v9 = v7.max(v9); v7 = t; }
            { ShortVector t = v11.min(v3); v3 = v11.max(v3); v11 = t; }
            { ShortVector t = v14.min(v5); v5 = v14.max(v5); v14 = t; }
            { ShortVector t = v16.min(v10); v10 = v16.max(v10); v16 = t; }
            { ShortVector t = v17.min(v12); v12 = v17.max(v12); v17 = t; }
            { ShortVector t = v6.min(v1); v1 = v6.max(v1); v6 = t; }
            { ShortVector t = v7.min(v4); v4 = v7.max(v4); v7 = t; }
            { ShortVector t = v8.min(v11); v11 = v8.max(v11); v8 = t; }
            { ShortVector t = v9.min(v14); v14 = v9.max(v14); v9 = t; }
            { ShortVector t = v16.min(v3); v3 = v16.max(v3); v16 = t; }
            { ShortVector t = v17.min(v5); v5 = v17.max(v5); v17 = t; }
            { ShortVector t = v10.min(v13); v13 = v10.max(v13); v10 = t; }
            v12 = v12.min(v15);
            { ShortVector t = v2.min(v6); v6 = v2.max(v6); v2 = t; }
            { ShortVector t = v7.min(v1); v1 = v7.max(v1); v7 = t; }
            { ShortVector t = v4.min(v8); v8 = v4.max(v8); v4 = t; }
            { ShortVector t = v9.min(v11); v11 = v9.max(v11); v9 = t; }
            { ShortVector t = v14.min(v16); v16 = v14.max(v16); v14 = t; }
            { ShortVector t = v17.min(v3); v3 = v17.max(v3); v17 = t; }
            { ShortVector t = v5.min(v10); v10 = v5.max(v10); v5 = t; }
            { ShortVector t = v12.min(v13); v13 = v12.max(v13); v12 = t; }
            v4 = v20.max(v4);
            v8 = v21.max(v8);
            v9 = v22.max(v9);
            v11 = v23.max(v11);
            v24 = v24.min(v14);
            v2 = v24.max(v2);
            v6 = v16;
            v7 = v17;
            v4 = v4.min(v5);
            v8 = v8.min(v10);
            v9 = v9.min(v12);
            v11 = v11.min(v13);
            v4 = v2.max(v4);
            v8 = v6.max(v8);
            v7 = v7.min(v9);
            v11 = v11.min(v3);
            v4 = v7.max(v4);
            v8 = v8.min(v11);
            v4 = v4.min(v8);
            v4.intoArray(out, x);
        }
    }

    /** As many floats as {@link #INTS} has lanes. */
    private static final VectorSpecies<Float> FLOATS = VectorSpecies.of(float.class, INTS.vectorShape());

    @Override
    public long linear(short[] samples, boolean signed, LinearFloat map, short[] out, int from, int to,
            boolean count) {
        // Constants made once, outside the loop (see window).
        IntVector widen = IntVector.broadcast(INTS, signed ? -1 : 0xFFFF);
        FloatVector gain = FloatVector.broadcast(FLOATS, map.gain());
        FloatVector bias = FloatVector.broadcast(FLOATS, map.bias());
        FloatVector magic = FloatVector.broadcast(FLOATS, LinearFloat.ROUNDING);
        FloatVector min = FloatVector.broadcast(FLOATS, map.min());
        FloatVector max = FloatVector.broadcast(FLOATS, map.max());
        IntVector magicBits = IntVector.broadcast(INTS, Float.floatToRawIntBits(LinearFloat.ROUNDING));
        long saturated = 0;
        int i = from;
        int bound = from + SHORTS.loopBound(to - from);
        for (; i < bound; i += SHORTS.length()) {
            IntVector wide = ((IntVector) ShortVector.fromArray(SHORTS, samples, i)
                    .convertShape(VectorOperators.S2I, INTS, 0)).and(widen);
            FloatVector value = (FloatVector) wide.convert(VectorOperators.I2F, 0);
            // The same operations, in the same order, as LinearFloat.rounded: IEEE float lanes round alike.
            FloatVector rounded = value.mul(gain).add(bias).add(magic).sub(magic);
            if (count) {
                // A third of the loop's time: skipped when the caller knows nothing is clamped.
                saturated += rounded.compare(VectorOperators.LT, min).or(rounded.compare(VectorOperators.GT, max))
                        .trueCount();
            }
            // Float to int without F2I (which this JDK does not compile to vector code): the clamped value is an
            // integer below 2^22 in magnitude, so adding 1.5 * 2^23 puts it, exactly, in the low mantissa bits.
            IntVector whole = rounded.max(min).min(max).add(magic).reinterpretAsInts().sub(magicBits);
            ((ShortVector) whole.convertShape(VectorOperators.I2S, SHORTS, 0)).intoArray(out, i);
        }
        return saturated + SCALAR.linear(samples, signed, map, out, i, to, count);
    }

    /** The loops' tails (fewer samples than one vector) run scalar. */
    private static final ScalarPixelKernels SCALAR = new ScalarPixelKernels();
}

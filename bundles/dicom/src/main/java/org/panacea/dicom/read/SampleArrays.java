package org.panacea.dicom.read;

import java.util.Arrays;

/**
 * The arrays decoded samples go into, sized by what has arrived. When the input's length is exact (a file), every
 * declared length has already been checked against it, so a frame's array is allocated whole. Otherwise (an upload
 * of unknown length, an inflated data set whose length is only bounded) an array starts small and doubles as
 * decoded samples need room: a header that declares a huge frame then costs memory in proportion to the pixel bytes
 * actually received (at most four times their decoded size, counting the copies), not to what it declares.
 */
final class SampleArrays {

    /** Elements a growing array starts with. */
    static final int INITIAL = 16 * 1024;

    private final boolean whole;

    /** @param whole {@code true} when the data's length is exact and already checked: allocate frames whole */
    SampleArrays(boolean whole) {
        this.whole = whole;
    }

    byte[] bytes(int n) {
        return new byte[first(n)];
    }

    short[] shorts(int n) {
        return new short[first(n)];
    }

    int[] ints(int n) {
        return new int[first(n)];
    }

    float[] floats(int n) {
        return new float[first(n)];
    }

    private int first(int n) {
        return whole ? n : Math.min(n, INITIAL);
    }

    /** {@code array}, or a copy grown (to at most {@code n}) so that it holds {@code needed} elements. */
    static byte[] fit(byte[] array, int needed, int n) {
        return needed <= array.length ? array : Arrays.copyOf(array, grown(array.length, needed, n));
    }

    static short[] fit(short[] array, int needed, int n) {
        return needed <= array.length ? array : Arrays.copyOf(array, grown(array.length, needed, n));
    }

    static int[] fit(int[] array, int needed, int n) {
        return needed <= array.length ? array : Arrays.copyOf(array, grown(array.length, needed, n));
    }

    static float[] fit(float[] array, int needed, int n) {
        return needed <= array.length ? array : Arrays.copyOf(array, grown(array.length, needed, n));
    }

    private static int grown(int length, int needed, int n) {
        return (int) Math.min(n, Math.max(needed, 2L * length));
    }
}

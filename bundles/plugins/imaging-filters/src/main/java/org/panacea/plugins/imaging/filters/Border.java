package org.panacea.plugins.imaging.filters;

import java.util.List;
import java.util.Locale;

import org.panacea.api.imaging.AlgorithmException;

/**
 * How a filter reads samples past the image's edges. Reflection repeats periodically, so kernels wider than the
 * image (a 17-tap Gaussian on a 5-pixel row) are well defined.
 */
enum Border {

    /** Mirror including the edge sample, {@code d c b a | a b c d} (scipy {@code reflect}, OpenCV BORDER_REFLECT). */
    REFLECT("reflect"),
    /** Mirror about the edge sample, {@code d c b | a b c d} (OpenCV's default BORDER_REFLECT_101, scipy mirror). */
    REFLECT101("reflect101"),
    /** The edge sample repeated, {@code a a a | a b c d} (scipy nearest, OpenCV BORDER_REPLICATE, ImageJ). */
    NEAREST("nearest");

    /** The values of the {@code border} parameter, in the order of the descriptors. */
    static final List<String> NAMES = List.of(REFLECT.parameterValue, REFLECT101.parameterValue,
            NEAREST.parameterValue);

    /** Text for parameter descriptions. */
    static final String DESCRIPTION = "how the image is extended past its edges: reflect (d c b a | a b c d, "
            + "scipy 'reflect'), reflect101 (d c b | a b c d, OpenCV's default BORDER_REFLECT_101), nearest "
            + "(a a a | a b c d, edge sample repeated as in ImageJ and OpenCV BORDER_REPLICATE)";

    final String parameterValue;

    Border(String parameterValue) {
        this.parameterValue = parameterValue;
    }

    /** The border named by a {@code border} parameter value, case-insensitive. */
    static Border parse(String value) throws AlgorithmException {
        String name = value.toLowerCase(Locale.ROOT);
        for (Border border : values()) {
            if (border.parameterValue.equals(name)) {
                return border;
            }
        }
        throw new AlgorithmException("border must be reflect, reflect101 or nearest, was '" + value + "'");
    }

    /** The index inside {@code 0 .. size - 1} that this border reads at position {@code i} (any integer). */
    int inside(int i, int size) {
        if (i >= 0 && i < size) {
            return i;
        }
        switch (this) {
            case NEAREST:
                return i < 0 ? 0 : size - 1;
            case REFLECT: {
                int period = 2 * size;
                int j = Math.floorMod(i, period);
                return j < size ? j : period - 1 - j;
            }
            default: {
                if (size == 1) {
                    return 0;
                }
                int period = 2 * size - 2;
                int j = Math.floorMod(i, period);
                return j < size ? j : period - j;
            }
        }
    }

    /**
     * For each position {@code -radius .. size - 1 + radius} (stored shifted by {@code radius}), the index inside
     * {@code 0 .. size - 1} that this border reads there.
     */
    int[] table(int size, int radius) {
        int[] index = new int[size + 2 * radius];
        for (int i = 0; i < index.length; i++) {
            index[i] = inside(i - radius, size);
        }
        return index;
    }
}

package org.panacea.api.inference;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense 32-bit float tensor, row-major (the last dimension varies fastest). The array is shared, not copied: whoever
 * hands a tensor over must not change it afterwards.
 *
 * @param shape  the dimensions, each at least 1
 * @param values the elements, as many as the shape's product
 */
public record Tensor(long[] shape, float[] values) {

    public Tensor {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        long count = 1;
        for (long dimension : shape) {
            if (dimension < 1) {
                throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + " has an empty dimension");
            }
            count = Math.multiplyExact(count, dimension);
        }
        if (count != values.length) {
            throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + " needs " + count
                    + " values, has " + values.length);
        }
        shape = shape.clone();
    }

    /** The dimensions (a copy). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Bytes the elements take. */
    public long byteSize() {
        return 4L * values.length;
    }
}

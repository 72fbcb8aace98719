package org.panacea.api.inference;

import java.util.List;
import java.util.Objects;

/**
 * One input or output of a graph, as the graph declares it.
 *
 * @param name        the tensor's name in the graph
 * @param elementType ONNX element type name ({@code FLOAT}, {@code INT64}, ...)
 * @param shape       the dimensions; {@code -1} where the graph leaves one free (a batch size)
 */
public record TensorSpec(String name, String elementType, List<Long> shape) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(elementType, "elementType");
        shape = List.copyOf(shape);
    }
}

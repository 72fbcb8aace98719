package org.panacea.api.inference;

import java.util.List;
import java.util.Objects;

/**
 * What a loaded graph takes and gives, and what made it.
 *
 * @param inputs   the graph's inputs, in the graph's order
 * @param outputs  the graph's outputs, in the graph's order
 * @param producer the tool that exported it and its version ({@code pytorch 2.13.0}), empty when not declared
 * @param graphVersion the model version the exporter wrote, 0 when not declared
 */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs, String producer, long graphVersion) {

    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        producer = Objects.requireNonNullElse(producer, "");
    }
}

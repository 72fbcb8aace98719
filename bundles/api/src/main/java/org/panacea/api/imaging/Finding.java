package org.panacea.api.imaging;

import java.util.List;
import java.util.Objects;

/**
 * Something an algorithm found in an image: a labelled region, a nodule candidate.
 *
 * @param label        what it is ({@code region 3}, {@code blob})
 * @param measurements its position, size and contrast, in physical units where the spacing is known
 */
public record Finding(String label, List<Measurement> measurements) {

    public Finding {
        Objects.requireNonNull(label, "label");
        measurements = List.copyOf(measurements);
    }
}

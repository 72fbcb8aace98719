package org.panacea.api.imaging;

import java.util.Objects;

/**
 * A named number an algorithm reports.
 *
 * @param name  what was measured ({@code area}, {@code threshold}, {@code psnr})
 * @param value the value
 * @param unit  UCUM unit ({@code mm2}, {@code [hnsf'U]}, {@code dB}), empty when unitless
 */
public record Measurement(String name, double value, String unit) {

    public Measurement {
        Objects.requireNonNull(name, "name");
        unit = Objects.requireNonNullElse(unit, "");
    }
}

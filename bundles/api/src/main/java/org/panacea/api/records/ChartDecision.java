package org.panacea.api.records;

import java.util.Objects;

/**
 * The answer of {@link ChartAccess} for one caller and one patient.
 *
 * @param allowed {@code true} when the chart may be opened
 * @param basis   what the answer rests on
 * @param reason  why, in words an auditor understands; for a refusal it starts with "no care relationship" or
 *                "consent", and says how to break the glass when the caller may
 * @since 1.2
 */
public record ChartDecision(boolean allowed, CareBasis basis, String reason) {

    public ChartDecision {
        Objects.requireNonNull(basis, "basis");
        Objects.requireNonNull(reason, "reason");
    }
}

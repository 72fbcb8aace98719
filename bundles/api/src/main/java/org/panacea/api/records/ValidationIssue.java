package org.panacea.api.records;

/**
 * One problem found when validating a resource.
 *
 * @param path    FHIRPath-like location of the problem ({@code Patient.birthDate}, {@code Observation.valueQuantity.unit})
 * @param message what is wrong, in words the sender can act on
 */
public record ValidationIssue(String path, String message) {
}

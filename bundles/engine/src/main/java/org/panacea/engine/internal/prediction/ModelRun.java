package org.panacea.engine.internal.prediction;

import java.time.Duration;
import java.util.List;

import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.prediction.Prediction;

/**
 * What a successful model run produced.
 *
 * @param model            the model that ran, with the version used
 * @param patientId        the patient
 * @param prediction       the prediction with its explanation (contributions)
 * @param inputs           every input passed to the model, with its source
 * @param riskAssessmentId the id of the stored RiskAssessment, or {@code null} when it was not stored
 * @param notStored        why it was not stored, or {@code null}
 * @param inputDigest      SHA-256 of the input values (see {@code Digests})
 * @param outputDigest     SHA-256 of the prediction
 * @param runTime          how long the model's code ran
 * @param waited           how long the call waited for the model (a replacement, during a swap)
 */
public record ModelRun(ModelDescriptor model, String patientId, Prediction prediction, List<InputValue> inputs,
        String riskAssessmentId, String notStored, String inputDigest, String outputDigest, Duration runTime,
        Duration waited) {
}

package org.panacea.api.prediction;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The extension point of prediction plugins, registered as an OSGi service by a signed plugin bundle. The engine
 * finds it by id, gathers its inputs from the patient's record, and stores the result as a RiskAssessment.
 * <p>
 * Implementations must be thread-safe and must not touch files, network or the database.
 */
@ConsumerType
public interface PredictionModel {

    /** Identity, inputs, training data and validation metrics. */
    ModelDescriptor descriptor();

    /**
     * Predicts for one patient.
     *
     * @throws PredictionException when the inputs do not allow a prediction, with a message saying which
     */
    Prediction predict(PredictionInput input) throws PredictionException;
}

package org.panacea.api.prediction;

/** The model cannot predict for these inputs (a required input is missing or out of the range it was fitted on). */
public class PredictionException extends Exception {

    private static final long serialVersionUID = 1L;

    public PredictionException(String message) {
        super(message);
    }
}

package org.panacea.api.inference;

/** A call that did not give outputs: bad inputs, time limit, interruption, memory budget, or a runtime failure. */
public class InferenceException extends Exception {

    private static final long serialVersionUID = 1L;

    public InferenceException(String message) {
        super(message);
    }

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}

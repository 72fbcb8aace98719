package org.panacea.engine.internal.run;

import org.panacea.rest.http.HttpProblem;

/**
 * The plugin refused the input (an AlgorithmException or PredictionException, or an input the model cannot do
 * without); the message is the plugin's, for the user. HTTP answers 422.
 */
public class PluginRefusedException extends HttpProblem {

    private static final long serialVersionUID = 1L;

    public PluginRefusedException(String message) {
        super(422, "processing", message);
    }
}

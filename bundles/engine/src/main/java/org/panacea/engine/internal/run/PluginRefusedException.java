package org.panacea.engine.internal.run;

/**
 * The plugin refused the input (an AlgorithmException or PredictionException, or an input the model cannot do
 * without); the message is the plugin's, for the user. HTTP maps it to 422.
 */
public class PluginRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PluginRefusedException(String message) {
        super(message);
    }
}

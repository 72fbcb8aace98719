package org.panacea.engine.internal.run;

/** A run took longer than its time limit and was interrupted. HTTP maps it to 504. */
public class PluginTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PluginTimeoutException(String message) {
        super(message);
    }
}

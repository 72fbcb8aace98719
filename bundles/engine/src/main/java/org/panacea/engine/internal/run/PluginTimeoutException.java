package org.panacea.engine.internal.run;

import org.panacea.rest.http.HttpProblem;

/** A run took longer than its time limit and was interrupted. HTTP answers 504. */
public class PluginTimeoutException extends HttpProblem {

    private static final long serialVersionUID = 1L;

    public PluginTimeoutException(String message) {
        super(504, "timeout", message);
    }
}

package org.panacea.engine.internal.run;

import org.panacea.rest.http.HttpProblem;

/**
 * A plugin failed (an exception it did not mean to throw, out of memory, stack overflow); the platform carries on.
 * HTTP answers 500, with this message and never a stack trace.
 */
public class PluginCrashedException extends HttpProblem {

    private static final long serialVersionUID = 1L;

    public PluginCrashedException(String message) {
        super(500, "exception", message);
    }
}

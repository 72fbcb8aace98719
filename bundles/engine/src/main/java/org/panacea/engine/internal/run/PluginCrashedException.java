package org.panacea.engine.internal.run;

/**
 * A plugin failed (an exception it did not mean to throw, out of memory, stack overflow); the platform carries on.
 * HTTP maps it to 500, with this message and never a stack trace.
 */
public class PluginCrashedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PluginCrashedException(String message) {
        super(message);
    }
}

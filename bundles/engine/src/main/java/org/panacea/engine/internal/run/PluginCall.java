package org.panacea.engine.internal.run;

/** One call into a plugin, run on an engine thread. */
@FunctionalInterface
public interface PluginCall<T> {

    /** Calls the plugin; anything it throws is classified by the runner. */
    T call() throws Exception;
}

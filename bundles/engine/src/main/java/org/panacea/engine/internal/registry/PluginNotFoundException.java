package org.panacea.engine.internal.registry;

import org.panacea.rest.http.HttpProblem;

/**
 * No plugin with the requested id and version range is registered (after the grace period, when one went away).
 * HTTP answers 404.
 */
public class PluginNotFoundException extends HttpProblem {

    private static final long serialVersionUID = 1L;

    public PluginNotFoundException(String message) {
        super(404, "not-found", message);
    }
}

package org.panacea.engine.internal.registry;

/**
 * No plugin with the requested id and version range is registered (after the grace period, when one went away).
 * HTTP maps it to 404.
 */
public class PluginNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PluginNotFoundException(String message) {
        super(message);
    }
}

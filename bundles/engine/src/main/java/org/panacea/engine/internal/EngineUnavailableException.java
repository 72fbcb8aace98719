package org.panacea.engine.internal;

/**
 * The engine cannot take the call right now for a reason of its own (stopping, a service it needs is not running);
 * trying again later may work. HTTP maps it to 503.
 */
public class EngineUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EngineUnavailableException(String message) {
        super(message);
    }
}

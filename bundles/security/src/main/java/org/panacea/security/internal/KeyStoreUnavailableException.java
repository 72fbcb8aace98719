package org.panacea.security.internal;

/** The key store cannot be opened or written; the message says why and what to do, without a stack trace. */
public class KeyStoreUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public KeyStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.panacea.api.security;

/**
 * A value could not be decrypted: it was altered, moved to another record or field, or its key version is unknown.
 * The message says which; it never contains plaintext.
 */
public class DecryptionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DecryptionException(String message, Throwable cause) {
        super(message, cause);
    }

    public DecryptionException(String message) {
        super(message);
    }
}

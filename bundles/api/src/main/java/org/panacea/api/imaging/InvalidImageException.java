package org.panacea.api.imaging;

/** An image file Panacea cannot read or store; the message says what is wrong and where. */
public class InvalidImageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidImageException(String message) {
        super(message);
    }

    public InvalidImageException(String message, Throwable cause) {
        super(message, cause);
    }
}

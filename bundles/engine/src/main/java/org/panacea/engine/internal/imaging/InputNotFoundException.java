package org.panacea.engine.internal.imaging;

/** The image instance (or the frame of it) a run asks for is not in the archive. HTTP maps it to 404. */
public class InputNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InputNotFoundException(String message) {
        super(message);
    }
}

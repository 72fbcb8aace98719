package org.panacea.api.imaging;

/** The algorithm cannot process this input (wrong pixel format, parameters that make no sense for this image). */
public class AlgorithmException extends Exception {

    private static final long serialVersionUID = 1L;

    public AlgorithmException(String message) {
        super(message);
    }

    public AlgorithmException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.panacea.onnx.internal.models;

/** A model descriptor that is malformed or does not match its graph; the message names the file and the problem. */
public class InvalidDescriptorException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidDescriptorException(String message) {
        super(message);
    }

    public InvalidDescriptorException(String message, Throwable cause) {
        super(message, cause);
    }
}

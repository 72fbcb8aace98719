package org.panacea.engine.internal.imaging;

import org.panacea.rest.http.HttpProblem;

/** The image instance (or the frame of it) a run asks for is not in the archive. HTTP answers 404. */
public class InputNotFoundException extends HttpProblem {

    private static final long serialVersionUID = 1L;

    public InputNotFoundException(String message) {
        super(404, "not-found", message);
    }
}

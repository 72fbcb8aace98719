package org.panacea.analysis.internal;

import org.panacea.rest.http.HttpProblem;

/**
 * A table over one of its {@link TableLimits}: HTTP answers 413 ({@code too-costly}), the console says so. The message names the limit
 * and its setting, never anything read from the table.
 */
public class TableTooLargeException extends HttpProblem {

    private static final long serialVersionUID = 1L;

    public TableTooLargeException(String message) {
        super(413, "too-costly", message);
    }
}

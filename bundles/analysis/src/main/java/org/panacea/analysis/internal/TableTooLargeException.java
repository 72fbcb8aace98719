package org.panacea.analysis.internal;

/**
 * A table over one of its {@link TableLimits}: HTTP answers 413, the console says so. The message names the limit
 * and its setting, never anything read from the table.
 */
public class TableTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TableTooLargeException(String message) {
        super(message);
    }
}

package org.panacea.analysis.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * How large a CSV table the analyses read, uploaded or from the import folder: lines after the header, columns, and
 * characters on one line. {@link Table} counts each as the data arrives and stops at the first one exceeded, so no
 * table is read whole before it is known to fit. Configured in {@code etc/org.panacea.analysis.cfg}.
 *
 * @see TableTooLargeException
 */
@Component(service = TableLimits.class, configurationPid = TableLimits.PID)
@Designate(ocd = TableLimits.Config.class)
public final class TableLimits {

    /** The configuration's PID: {@code etc/org.panacea.analysis.cfg}. */
    public static final String PID = "org.panacea.analysis";

    @ObjectClassDefinition(name = "Panacea analysis tables", description = "Limits of the CSV tables the analyses "
            + "read (HTTP uploads and console files)")
    public @interface Config {
        @AttributeDefinition(description = "Most lines after the header row (blank ones count)")
        int max_rows() default DEFAULT_MAX_ROWS;

        @AttributeDefinition(description = "Most columns in the header row")
        int max_columns() default DEFAULT_MAX_COLUMNS;

        @AttributeDefinition(description = "Most characters on one line")
        int max_line_characters() default DEFAULT_MAX_LINE_CHARACTERS;
    }

    /** Twice the benchmark's 100,000-row cohort; about 50 MB of kept text at five columns. */
    static final int DEFAULT_MAX_ROWS = 200_000;
    static final int DEFAULT_MAX_COLUMNS = 500;
    static final int DEFAULT_MAX_LINE_CHARACTERS = 16_384;

    /** The defaults. */
    public static final TableLimits DEFAULTS = new TableLimits(DEFAULT_MAX_ROWS, DEFAULT_MAX_COLUMNS,
            DEFAULT_MAX_LINE_CHARACTERS);

    private final int maxRows;
    private final int maxColumns;
    private final int maxLineCharacters;

    @Activate
    public TableLimits(Config config) {
        this(config.max_rows(), config.max_columns(), config.max_line_characters());
    }

    /** @throws IllegalArgumentException when a limit is less than 1 */
    public TableLimits(int maxRows, int maxColumns, int maxLineCharacters) {
        if (maxRows < 1 || maxColumns < 1 || maxLineCharacters < 1) {
            throw new IllegalArgumentException("table limits are at least 1: max.rows " + maxRows + ", max.columns "
                    + maxColumns + ", max.line.characters " + maxLineCharacters);
        }
        this.maxRows = maxRows;
        this.maxColumns = maxColumns;
        this.maxLineCharacters = maxLineCharacters;
    }

    /** Lines after the header row. */
    public int maxRows() {
        return maxRows;
    }

    public int maxColumns() {
        return maxColumns;
    }

    public int maxLineCharacters() {
        return maxLineCharacters;
    }

    TableTooLargeException rows() {
        return new TableTooLargeException("the table has more than " + maxRows + " lines after its header (limit "
                + "max.rows in etc/" + PID + ".cfg)");
    }

    TableTooLargeException columns() {
        return new TableTooLargeException("the table's header has more than " + maxColumns + " columns (limit "
                + "max.columns in etc/" + PID + ".cfg)");
    }

    TableTooLargeException line(int lineNumber) {
        return new TableTooLargeException("line " + lineNumber + " is longer than " + maxLineCharacters
                + " characters (limit max.line.characters in etc/" + PID + ".cfg)");
    }

    @Override
    public String toString() {
        return "TableLimits[max.rows " + maxRows + ", max.columns " + maxColumns + ", max.line.characters "
                + maxLineCharacters + "]";
    }
}

package org.panacea.analysis.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.panacea.plugins.support.CsvTable;

/**
 * The table reader: R's CSV as plugin-support reads it, limits counted as the data arrives, and errors that name a
 * line and a column, never the text of the table.
 */
class TableTest {

    /** What a table that is not one may hold: none of it may appear in a message. */
    private static final String SECRET = "root:x:0:0:root:/root:/bin/bash";

    private static Table read(String csv, List<String> columns) throws IOException {
        return read(csv, columns, TableLimits.DEFAULTS);
    }

    private static Table read(String csv, List<String> columns, TableLimits limits) throws IOException {
        return Table.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), columns, limits);
    }

    private static IllegalArgumentException refused(String csv, List<String> columns) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(csv, columns)
                .column(columns.get(0)));
        assertFalse(e.getMessage().contains("root") || e.getMessage().contains("secret"), e.getMessage());
        return e;
    }

    @Test
    void readsRsLungTableAsPluginSupportDoes() throws IOException {
        List<String> columns = List.of("time", "status", "age", "sex", "ph.ecog", "wt.loss");
        Table table;
        CsvTable reference;
        try (InputStream in = TableTest.class.getResourceAsStream("/data/lung.csv")) {
            table = Table.read(in, columns, TableLimits.DEFAULTS);
        }
        try (InputStream in = TableTest.class.getResourceAsStream("/data/lung.csv")) {
            reference = CsvTable.read(in, columns);
        }
        assertEquals(228, table.rows());
        assertEquals(columns, table.names());
        for (String column : columns) {
            assertArrayEquals(reference.column(column), table.column(column), column);
            assertArrayEquals(reference.text(column), table.text(column), column);
        }
        for (int row = 0; row < table.rows(); row++) {
            assertEquals(reference.line(row), table.line(row));
        }
    }

    @Test
    void quotesBlankLinesLineEndsAndMissingValues() throws IOException {
        Table table = read("\uFEFFid, \"name, full\" ,n\r\n1,\"Smith, \"\"Jo\"\"\",NA\r\n\r\n2,  Lee  ,\r3,x,4.5\n4,,",
                List.of("n", "name, full"));
        assertEquals(4, table.rows());
        assertArrayEquals(new String[] { "Smith, \"Jo\"", "Lee", "x", "" }, table.text("name, full"));
        double[] n = table.column("n");
        assertTrue(Double.isNaN(n[0]) && Double.isNaN(n[1]) && Double.isNaN(n[3]));
        assertEquals(4.5, n[2]);
        assertArrayEquals(new int[] { 2, 4, 5, 6 }, new int[] { table.line(0), table.line(1), table.line(2),
            table.line(3) });
    }

    @Test
    void errorsNameTheLineAndColumnButNeverTheText() {
        assertEquals("no column 'time' in the table's header (line 1, 1 column)",
                refused(SECRET + "\ndaemon:x:1:1\n", List.of("time")).getMessage());
        assertEquals("line 3, column 'time': not a number",
                refused("time,event\n1,2\nsecret-7-days,1\n", List.of("time")).getMessage());
        assertEquals("line 2, field 2: a quoted field is not closed",
                refused("time,event\n1,\"secret\n", List.of("time")).getMessage());
        assertEquals("line 2, field 1: text after a closing quote",
                refused("time,event\n\"1\"secret,1\n", List.of("time")).getMessage());
        assertEquals("line 1: columns 2 and 3 of the header have the same name",
                refused("time,secret,secret\n", List.of("time")).getMessage());
        assertEquals("line 3 has more fields than the header's 2 (an unquoted comma?)",
                refused("time,event\n1,2\n3,secret,root\n", List.of("time")).getMessage());
        assertEquals("line 2: not UTF-8 text (the table must be UTF-8)", assertThrows(IllegalArgumentException.class,
                () -> Table.read(new ByteArrayInputStream(new byte[] { 't', '\n', 'r', (byte) 0xC3, '(', '\n' }),
                        List.of("t"), TableLimits.DEFAULTS)).getMessage());
        assertEquals("the table is empty: it needs a header row naming its columns",
                refused("", List.of("time")).getMessage());
    }

    @Test
    void survivalAndLogisticErrorsNeverRepeatAValue() throws IOException {
        Table table = read("time,status,x\n1,secret-a,1\n-2,secret-b,2\n3,root,3\n", List.of("time", "status",
                "x"));
        IllegalArgumentException third = assertThrows(IllegalArgumentException.class, () -> SurvivalData.fromTable(
                table, SurvivalRequest.of(Map.of("time", "time", "event", "status", "event-value", "secret-a"))));
        assertEquals("line 4, column 'status': a third value; the column must take two (event-value names the one "
                + "that counts)", third.getMessage());
        Table two = read("time,status\n1,secret-a\n-2,secret-b\n", List.of("time", "status"));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> SurvivalData
                .fromTable(two, SurvivalRequest.of(Map.of("time", "time", "event", "status", "event-value",
                        "secret-a"))));
        assertEquals("line 3, column 'time': a follow-up time cannot be negative", negative.getMessage());
        IllegalArgumentException never = assertThrows(IllegalArgumentException.class, () -> LogisticAnalysis.json(two,
                LogisticRequest.of(Map.of("outcome", "status", "positive", "dead", "covariates", "time"))));
        assertEquals("no row has status = dead (positive); the column takes 2 other values", never.getMessage());
    }

    @Test
    void eachLimitIsNamedWhenItIsPassedAndNotBefore() throws IOException {
        TableLimits limits = new TableLimits(3, 2, 12);
        assertEquals(2, read("a,b\n1,2\n\n3,4\n", List.of("a"), limits).rows(), "three lines, one blank: the limit");
        TableTooLargeException rows = assertThrows(TableTooLargeException.class, () -> read(
                "a,b\n1,2\n3,4\n5,6\n7,8\n", List.of("a"), limits));
        assertEquals("the table has more than 3 lines after its header (limit max.rows in "
                + "etc/org.panacea.analysis.cfg)", rows.getMessage());
        assertEquals(0, read("a,b\n", List.of("a"), limits).rows(), "two columns: the limit");
        TableTooLargeException columns = assertThrows(TableTooLargeException.class, () -> read("a,b,c\n1,2,3\n",
                List.of("a"), limits));
        assertEquals("the table's header has more than 2 columns (limit max.columns in etc/org.panacea.analysis.cfg)",
                columns.getMessage());
        assertEquals(1, read("a,b\n123456,12345\n", List.of("a"), limits).rows(), "twelve characters");
        TableTooLargeException line = assertThrows(TableTooLargeException.class, () -> read(
                "a,b\n123456,12345\n1234567,12345\n", List.of("a"), limits));
        assertEquals("line 3 is longer than 12 characters (limit max.line.characters in etc/org.panacea.analysis.cfg)",
                line.getMessage());
    }

    /** Serves {@code header} and then {@code repeated} for ever, counting what it serves. */
    private static final class Endless extends InputStream {
        private final byte[] repeated;
        long served;

        Endless(String repeated) {
            this.repeated = repeated.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int read() {
            return repeated[(int) (served++ % repeated.length)];
        }
    }

    @Test
    void limitsAreCountedAsTheDataArrivesNotAfterReadingItWhole() {
        TableLimits limits = new TableLimits(1000, 100, 4096);
        Endless rows = new Endless("1,2\n");
        assertThrows(TableTooLargeException.class, () -> Table.read(new SequenceInputStream(new ByteArrayInputStream(
                "a,b\n".getBytes(StandardCharsets.UTF_8)), rows), List.of("a"), limits));
        assertTrue(rows.served < 4 * 1000 + 64 * 1024, rows.served + " bytes read");
        Endless line = new Endless("1234567,");
        assertThrows(TableTooLargeException.class, () -> Table.read(new SequenceInputStream(new ByteArrayInputStream(
                "a,b\n".getBytes(StandardCharsets.UTF_8)), line), List.of("a"), limits));
        assertTrue(line.served < 4096 + 64 * 1024, line.served + " bytes read");
        Endless header = new Endless("a,");
        assertThrows(TableTooLargeException.class, () -> Table.read(header, List.of("a"), limits));
        assertTrue(header.served < 4096 + 64 * 1024, header.served + " bytes read");
    }
}

package org.panacea.plugins.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvTableTest {

    private static InputStream csv(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsRsWriteCsvWithQuotesAndMissingValues() throws IOException {
        // what R's write.csv(data.frame(name = c("a, b", 'say "hi"', NA), x = c(1.5, NA, -2))) writes
        CsvTable t = CsvTable.read(csv("\"\",\"name\",\"x\"\n\"1\",\"a, b\",1.5\n\"2\",\"say \"\"hi\"\"\",NA\n"
                + "\"3\",NA,-2\n"));
        assertEquals(List.of("", "name", "x"), t.names());
        assertEquals(3, t.rows());
        assertArrayEquals(new String[] { "a, b", "say \"hi\"", "" }, t.text("name"));
        double[] x = t.column("x");
        assertEquals(1.5, x[0]);
        assertTrue(Double.isNaN(x[1]));
        assertEquals(-2, x[2]);
    }

    @Test
    void keepsOnlyTheColumnsAskedForAndNamesAMissingOne() throws IOException {
        CsvTable t = CsvTable.read(csv("\uFEFFa,b,c\n1,2,3\n\n4,5,6\n"), List.of("c", "a"));
        assertEquals(List.of("c", "a"), t.names());
        assertArrayEquals(new double[] { 3, 6 }, t.column("c"));
        assertEquals(4, t.line(1), "the blank line still counts");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvTable.read(csv("a,b\n1,2\n"), List.of("a", "z")));
        assertTrue(e.getMessage().contains("'z'") && e.getMessage().contains("[a, b]"), e.getMessage());
    }

    @Test
    void aValueThatIsNotANumberIsNamedByLineAndColumn() throws IOException {
        CsvTable t = CsvTable.read(csv("time,status\n5,1\n\n7x,2\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.column("time"));
        assertEquals("line 4, column 'time': not a number: 7x", e.getMessage());
    }

    @Test
    void refusesMalformedRecords() {
        assertThrows(IllegalArgumentException.class, () -> CsvTable.read(csv("a,b\n1,2,3\n")));
        assertThrows(IllegalArgumentException.class, () -> CsvTable.read(csv("a,b\n\"1,2\n")));
        assertThrows(IllegalArgumentException.class, () -> CsvTable.read(csv("a,a\n1,2\n")));
        assertThrows(IOException.class, () -> CsvTable.read(csv("")));
    }
}

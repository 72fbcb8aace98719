package org.panacea.plugins.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV table with a header row, as R's {@code write.csv} or a spreadsheet writes it: comma-separated, UTF-8 (a
 * leading byte-order mark is ignored), a field may be quoted with {@code "} and then hold commas and doubled quotes
 * ({@code ""}); a record ends at the end of its line (no line breaks inside fields). An empty field or {@code NA} is
 * missing. Read straight from a stream, keeping only the columns asked for; columns come out as text or as numbers
 * ({@code NaN} where missing).
 */
public final class CsvTable {

    private final Map<String, String[]> columns;
    private final int[] lines;

    private CsvTable(Map<String, String[]> columns, int[] lines) {
        this.columns = columns;
        this.lines = lines;
    }

    /** Reads every column. */
    public static CsvTable read(InputStream in) throws IOException {
        return read(in, null);
    }

    /**
     * Reads the columns named in {@code wanted} (all when {@code null}) and skips the others as it goes.
     *
     * @throws IllegalArgumentException when a wanted column is not in the header, a header name repeats, or a record
     *                                  has more fields than the header
     * @throws IOException              when the stream fails or holds no header row
     */
    public static CsvTable read(InputStream in, Collection<String> wanted) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        String header = reader.readLine();
        if (header == null) {
            throw new IOException("empty CSV: no header row");
        }
        if (header.startsWith("\uFEFF")) {
            header = header.substring(1);
        }
        List<String> names = split(header, 1);
        Map<String, Integer> position = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            if (position.put(names.get(i), i) != null) {
                throw new IllegalArgumentException("the CSV header names column '" + names.get(i) + "' twice");
            }
        }
        List<String> kept = new ArrayList<>();
        for (String name : wanted == null ? names : wanted) {
            if (!position.containsKey(name)) {
                throw new IllegalArgumentException("no column '" + name + "'; the table has " + names);
            }
            if (!kept.contains(name)) {
                kept.add(name);
            }
        }
        int[] from = kept.stream().mapToInt(position::get).toArray();
        List<List<String>> values = new ArrayList<>();
        for (int k = 0; k < from.length; k++) {
            values.add(new ArrayList<>());
        }
        int[] lineOf = new int[1024];
        int rows = 0;
        int lineNumber = 1;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = split(line, lineNumber);
            if (fields.size() > names.size()) {
                throw new IllegalArgumentException("line " + lineNumber + " has " + fields.size()
                        + " fields but the header has " + names.size() + " (an unquoted comma?)");
            }
            for (int k = 0; k < from.length; k++) {
                values.get(k).add(from[k] < fields.size() ? fields.get(from[k]) : "");
            }
            if (rows == lineOf.length) {
                lineOf = Arrays.copyOf(lineOf, rows * 2);
            }
            lineOf[rows++] = lineNumber;
        }
        Map<String, String[]> columns = new LinkedHashMap<>();
        for (int k = 0; k < from.length; k++) {
            columns.put(kept.get(k), values.get(k).toArray(String[]::new));
        }
        return new CsvTable(columns, Arrays.copyOf(lineOf, rows));
    }

    /** The fields of one record: unquoted ones stripped of surrounding blanks, quoted ones as written. */
    private static List<String> split(String line, int lineNumber) {
        List<String> fields = new ArrayList<>();
        int n = line.length();
        int i = 0;
        while (true) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                StringBuilder field = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("line " + lineNumber + ": a quoted field is not closed");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                while (i < n && line.charAt(i) != ',') {
                    if (!Character.isWhitespace(line.charAt(i))) {
                        throw new IllegalArgumentException("line " + lineNumber + ": text after a closing quote");
                    }
                    i++;
                }
                fields.add(field.toString());
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                fields.add(line.substring(i, end).strip());
                i = end;
            }
            if (i >= n) {
                return fields;
            }
            i++; // the comma
        }
    }

    public int rows() {
        return lines.length;
    }

    /** The names of the columns read, in header order of the request. */
    public List<String> names() {
        return List.copyOf(columns.keySet());
    }

    /** The line of the file that row {@code row} (from 0) came from, counting the header as line 1. */
    public int line(int row) {
        return lines[row];
    }

    /** The column's values as text, empty where missing; a copy. */
    public String[] text(String name) {
        String[] copy = raw(name).clone();
        for (int r = 0; r < copy.length; r++) {
            copy[r] = copy[r].equals("NA") ? "" : copy[r];
        }
        return copy;
    }

    /**
     * The column's values as numbers, {@code NaN} where missing; a copy.
     *
     * @throws IllegalArgumentException naming the line and column of the first value that is not a number
     */
    public double[] column(String name) {
        String[] text = raw(name);
        double[] column = new double[text.length];
        for (int r = 0; r < column.length; r++) {
            String value = text[r];
            if (value.isEmpty() || value.equals("NA")) {
                column[r] = Double.NaN;
                continue;
            }
            try {
                column[r] = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("line " + lines[r] + ", column '" + name + "': not a number: "
                        + value, e);
            }
        }
        return column;
    }

    private String[] raw(String name) {
        String[] column = columns.get(name);
        if (column == null) {
            throw new IllegalArgumentException("no column '" + name + "'; the table has " + columns.keySet());
        }
        return column;
    }
}

package org.panacea.plugins.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small CSV with a header row, as R's {@code write.csv} writes it: fields may be quoted, an empty field or
 * {@code NA} is missing. Columns read as text or as numbers ({@code NaN} where missing). No quoted commas: enough
 * for the data sets plugins ship.
 */
public final class CsvTable {

    private final Map<String, String[]> columns;
    private final int rows;

    private CsvTable(Map<String, String[]> columns, int rows) {
        this.columns = columns;
        this.rows = rows;
    }

    public static CsvTable read(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String header = reader.readLine();
        if (header == null) {
            throw new IOException("empty CSV: no header row");
        }
        String[] names = split(header);
        List<String[]> records = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = split(line);
            String[] record = new String[names.length];
            for (int i = 0; i < names.length; i++) {
                record[i] = i < fields.length ? fields[i] : "";
            }
            records.add(record);
        }
        Map<String, String[]> columns = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            String[] column = new String[records.size()];
            for (int r = 0; r < column.length; r++) {
                column[r] = records.get(r)[i];
            }
            columns.put(names[i], column);
        }
        return new CsvTable(columns, records.size());
    }

    private static String[] split(String line) {
        String[] fields = line.split(",", -1);
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i].strip();
            fields[i] = f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"") ? f.substring(1, f.length() - 1) : f;
        }
        return fields;
    }

    public int rows() {
        return rows;
    }

    /** The column's values as text, empty where missing; a copy. */
    public String[] text(String name) {
        String[] column = columns.get(name);
        if (column == null) {
            throw new IllegalArgumentException("no column '" + name + "'; the table has " + columns.keySet());
        }
        String[] copy = column.clone();
        for (int r = 0; r < copy.length; r++) {
            copy[r] = copy[r].equals("NA") ? "" : copy[r];
        }
        return copy;
    }

    /** The column's values as numbers, {@code NaN} where missing; a copy. */
    public double[] column(String name) {
        String[] text = text(name);
        double[] column = new double[text.length];
        for (int r = 0; r < column.length; r++) {
            try {
                column[r] = text[r].isEmpty() ? Double.NaN : Double.parseDouble(text[r]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("line " + (r + 2) + ", column '" + name + "': not a number: "
                        + text[r], e);
            }
        }
        return column;
    }
}

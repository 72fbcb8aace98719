package org.panacea.plugins.prediction.survival;

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
 * A small CSV of numbers with a header row, as R's {@code write.csv} writes it: names may be quoted, an empty field
 * or {@code NA} is missing and reads as {@code NaN}. No quoted commas: enough for the data sets this bundle ships.
 */
final class NumericTable {

    private final Map<String, double[]> columns;
    private final int rows;

    private NumericTable(Map<String, double[]> columns, int rows) {
        this.columns = columns;
        this.rows = rows;
    }

    static NumericTable read(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String header = reader.readLine();
        if (header == null) {
            throw new IOException("empty CSV: no header row");
        }
        String[] names = split(header);
        List<double[]> records = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = split(line);
            double[] record = new double[names.length];
            for (int i = 0; i < names.length; i++) {
                String field = i < fields.length ? fields[i] : "";
                try {
                    record[i] = field.isEmpty() || field.equals("NA") ? Double.NaN : Double.parseDouble(field);
                } catch (NumberFormatException e) {
                    throw new IOException("line " + (records.size() + 2) + ", column '" + names[i]
                            + "': not a number: " + field, e);
                }
            }
            records.add(record);
        }
        Map<String, double[]> columns = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            double[] column = new double[records.size()];
            for (int r = 0; r < column.length; r++) {
                column[r] = records.get(r)[i];
            }
            columns.put(names[i], column);
        }
        return new NumericTable(columns, records.size());
    }

    private static String[] split(String line) {
        String[] fields = line.split(",", -1);
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i].strip();
            fields[i] = f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"") ? f.substring(1, f.length() - 1) : f;
        }
        return fields;
    }

    int rows() {
        return rows;
    }

    /** The column's values, {@code NaN} where missing; a copy. */
    double[] column(String name) {
        double[] column = columns.get(name);
        if (column == null) {
            throw new IllegalArgumentException("no column '" + name + "'; the table has " + columns.keySet());
        }
        return column.clone();
    }
}

package org.panacea.analysis.internal;

import java.util.HashSet;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * A two-valued column read as yes / no: the event column of a survival table (event or censored) or the outcome of a
 * logistic regression (positive or negative). Values compare as text, or as numbers when both are numbers
 * ({@code 2} equals {@code 2.0}); an empty value or {@code NA} is missing.
 *
 * @param yes     {@code true} where the row holds the named value
 * @param missing {@code true} where the row holds no value
 */
public record BinaryColumn(boolean[] yes, boolean[] missing) {

    /**
     * @param column    the column's name, for messages
     * @param text      the column's values, empty where missing
     * @param yesValue  the value that means yes
     * @param parameter the request parameter that named {@code yesValue}, for messages
     * @param lineOf    the table's line of each row, for messages
     * @throws IllegalArgumentException when the column takes more than two values or never {@code yesValue}; the
     *                                  message names the column and the parameter, never a value of the table
     */
    public static BinaryColumn of(String column, String[] text, String yesValue, String parameter,
            IntUnaryOperator lineOf) {
        boolean[] yes = new boolean[text.length];
        boolean[] missing = new boolean[text.length];
        Set<Object> distinct = new HashSet<>();
        Object wanted = key(yesValue);
        boolean found = false;
        for (int i = 0; i < text.length; i++) {
            String value = text[i].strip();
            if (value.isEmpty()) {
                missing[i] = true;
                continue;
            }
            Object key = key(value);
            distinct.add(key);
            if (distinct.size() > 2) {
                // Counted, not listed: the values are the table's text.
                throw new IllegalArgumentException("line " + lineOf.applyAsInt(i) + ", column '" + column
                        + "': a third value; the column must take two (" + parameter + " names the one that counts)");
            }
            yes[i] = key.equals(wanted);
            found |= yes[i];
        }
        if (!found) {
            throw new IllegalArgumentException("no row has " + column + " = " + yesValue + " (" + parameter
                    + "); the column takes " + distinct.size() + (distinct.size() == 1 ? " other value"
                            : " other values"));
        }
        return new BinaryColumn(yes, missing);
    }

    /** A number compares by value, anything else by its text. */
    private static Object key(String value) {
        try {
            double number = Double.parseDouble(value);
            return Double.isNaN(number) ? value : (Object) (number == 0 ? 0.0 : number);
        } catch (NumberFormatException e) {
            return value;
        }
    }
}

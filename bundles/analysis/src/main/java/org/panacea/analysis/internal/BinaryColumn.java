package org.panacea.analysis.internal;

import java.util.LinkedHashMap;
import java.util.Map;

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
     * @throws IllegalArgumentException when the column takes more than two values or never {@code yesValue}
     */
    public static BinaryColumn of(String column, String[] text, String yesValue, String parameter) {
        boolean[] yes = new boolean[text.length];
        boolean[] missing = new boolean[text.length];
        Map<Object, String> distinct = new LinkedHashMap<>();
        Object wanted = key(yesValue);
        boolean found = false;
        for (int i = 0; i < text.length; i++) {
            String value = text[i].strip();
            if (value.isEmpty()) {
                missing[i] = true;
                continue;
            }
            Object key = key(value);
            distinct.putIfAbsent(key, value);
            yes[i] = key.equals(wanted);
            found |= yes[i];
        }
        if (distinct.size() > 2) {
            throw new IllegalArgumentException("column '" + column + "' takes " + distinct.size() + " values "
                    + distinct.values() + "; it must take two (" + parameter + " names the one that counts)");
        }
        if (!found) {
            throw new IllegalArgumentException("no row has " + column + " = " + yesValue + " (" + parameter
                    + "); the column holds " + distinct.values());
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

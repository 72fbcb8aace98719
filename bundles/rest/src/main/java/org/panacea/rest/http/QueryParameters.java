package org.panacea.rest.http;

/** Reading the query parameters Panacea's HTTP answers share, with the 400 message a wrong value gets. */
public final class QueryParameters {

    private QueryParameters() {
    }

    /**
     * The page size asked for by {@code _count}: {@code defaultCount} when absent.
     *
     * @throws IllegalArgumentException naming the value and the range, when it is not a whole number in 1..{@code max}
     *                                  (answered 400 by {@link Problems})
     */
    public static int count(String parameter, int defaultCount, int max) {
        if (parameter == null) {
            return defaultCount;
        }
        try {
            int count = Integer.parseInt(parameter);
            if (count >= 1 && count <= max) {
                return count;
            }
        } catch (NumberFormatException e) {
            // answered below, with the range
        }
        throw new IllegalArgumentException("_count: '" + parameter + "' is not a number in 1.." + max);
    }
}

package org.panacea.plugins.prediction.deterioration;

/**
 * Where one observation fell on the NEWS2 chart.
 *
 * @param points the points the chart gives the band, 0 to 3
 * @param label  the band as the chart prints it ({@code "21-24"}, {@code ">= 25"}, {@code "CVPU"})
 */
record Band(int points, String label) {
}

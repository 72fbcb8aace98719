package org.panacea.plugins.imaging.segmentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.panacea.api.imaging.Finding;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Measurement;

/**
 * Per-region sums gathered in one pass over a label image, and the findings made from them. Lengths follow
 * ImageJ's calibrated conventions: the bounding box covers whole pixels ({@code x = first column * column
 * spacing}, {@code width = columns * column spacing}); the centroid is the mean of pixel centres
 * ({@code (column + 0.5) * column spacing}); the area is the pixel count times both spacings. Without a known
 * spacing the same numbers are given in pixels.
 */
final class RegionStatistics {

    private int regions;
    private long[] pixels;
    private double[] valueSum;
    private long[] xSum;
    private long[] ySum;
    private int[] minX;
    private int[] minY;
    private int[] maxX;
    private int[] maxY;

    RegionStatistics(int expectedRegions) {
        int capacity = Math.max(16, expectedRegions + 1);
        pixels = new long[capacity];
        valueSum = new double[capacity];
        xSum = new long[capacity];
        ySum = new long[capacity];
        minX = new int[capacity];
        minY = new int[capacity];
        maxX = new int[capacity];
        maxY = new int[capacity];
    }

    /** Adds pixel {@code (x, y)} with rescaled value {@code value} to region {@code label} (1-based). */
    void add(int label, int x, int y, double value) {
        if (label >= pixels.length) {
            grow(label);
        }
        if (pixels[label] == 0) {
            regions = Math.max(regions, label);
            minX[label] = x;
            maxX[label] = x;
            minY[label] = y;
            maxY[label] = y;
        }
        pixels[label]++;
        valueSum[label] += value;
        xSum[label] += x;
        ySum[label] += y;
        minX[label] = Math.min(minX[label], x);
        maxX[label] = Math.max(maxX[label], x);
        minY[label] = Math.min(minY[label], y);
        maxY[label] = Math.max(maxY[label], y);
    }

    private void grow(int label) {
        int capacity = Math.max(label + 1, pixels.length * 2);
        pixels = Arrays.copyOf(pixels, capacity);
        valueSum = Arrays.copyOf(valueSum, capacity);
        xSum = Arrays.copyOf(xSum, capacity);
        ySum = Arrays.copyOf(ySum, capacity);
        minX = Arrays.copyOf(minX, capacity);
        minY = Arrays.copyOf(minY, capacity);
        maxX = Arrays.copyOf(maxX, capacity);
        maxY = Arrays.copyOf(maxY, capacity);
    }

    /** Adds another part of the same image's regions (labels meaning the same regions in both). */
    void merge(RegionStatistics other) {
        for (int label = 1; label <= other.regions; label++) {
            long n = other.pixels[label];
            if (n == 0) {
                continue;
            }
            if (label >= pixels.length) {
                grow(label);
            }
            if (pixels[label] == 0) {
                regions = Math.max(regions, label);
                minX[label] = other.minX[label];
                maxX[label] = other.maxX[label];
                minY[label] = other.minY[label];
                maxY[label] = other.maxY[label];
            } else {
                minX[label] = Math.min(minX[label], other.minX[label]);
                maxX[label] = Math.max(maxX[label], other.maxX[label]);
                minY[label] = Math.min(minY[label], other.minY[label]);
                maxY[label] = Math.max(maxY[label], other.maxY[label]);
            }
            pixels[label] += n;
            valueSum[label] += other.valueSum[label];
            xSum[label] += other.xSum[label];
            ySum[label] += other.ySum[label];
        }
    }

    int regions() {
        return regions;
    }

    long pixels(int label) {
        return pixels[label];
    }

    /** The finding of region {@code label}, named {@code region <number>}. */
    Finding finding(int label, int number, ImageMetadata metadata) {
        boolean mm = Units.hasSpacing(metadata);
        double dx = mm ? metadata.columnSpacing() : 1;
        double dy = mm ? metadata.rowSpacing() : 1;
        String length = mm ? Units.MM : Units.PIXEL;
        long n = pixels[label];
        List<Measurement> m = new ArrayList<>(11);
        m.add(new Measurement("label", number, ""));
        m.add(new Measurement("pixels", n, Units.PIXEL));
        m.add(new Measurement("area", n * dx * dy, mm ? Units.MM2 : Units.PIXEL));
        m.add(new Measurement("mean", valueSum[label] / n, Units.rescaled(metadata)));
        m.add(new Measurement("bbox_x", minX[label] * dx, length));
        m.add(new Measurement("bbox_y", minY[label] * dy, length));
        m.add(new Measurement("bbox_width", (maxX[label] - minX[label] + 1) * dx, length));
        m.add(new Measurement("bbox_height", (maxY[label] - minY[label] + 1) * dy, length));
        m.add(new Measurement("centroid_x", ((double) xSum[label] / n + 0.5) * dx, length));
        m.add(new Measurement("centroid_y", ((double) ySum[label] / n + 0.5) * dy, length));
        return new Finding("region " + number, m);
    }
}

package org.panacea.plugins.imaging.enhancement;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.Pixels;

/**
 * One CLAHE run (see {@link Clahe} for the method): the tiles' clipped histograms and mappings, then the bilinear
 * interpolation of every pixel. Bins are decoded a row at a time straight from the source array; tile rows and
 * output rows run on several cores for large images.
 */
final class ClaheMapping {

    private final Pixels pixels;
    private final int width;
    private final int height;
    private final ValueRange range;
    private final int tilesX;
    private final int tilesY;
    private final double clipLimit;
    /** The number of bins over {@code range}. */
    private final int bins;
    /** The bin of the image's smallest value: only bins {@code firstBin .. firstBin + usedBins - 1} occur. */
    private final int firstBin;
    private final int usedBins;
    private final int tileWidth;
    private final int tileHeight;
    /** For integer images: the bin of each value {@code data.low + j}, less {@code firstBin}. */
    private final int[] binOfValue;
    private final int dataLow;
    /** Per tile, per used bin: the mapped value. */
    private final float[] mappings;

    /**
     * @param range the output range the bins span
     * @param data  the image's own minimum and maximum (not equal)
     */
    ClaheMapping(Image image, ValueRange range, ValueRange data, int requestedBins, int tilesX, int tilesY,
            double clipLimit) {
        this.pixels = image.pixels();
        this.width = image.width();
        this.height = image.height();
        this.range = range;
        this.tilesX = tilesX;
        this.tilesY = tilesY;
        this.clipLimit = clipLimit;
        boolean divisible = width % tilesX == 0 && height % tilesY == 0;
        // OpenCV extends both directions by tiles - size % tiles when either is not a multiple (so by a whole
        // tile count when one of them is).
        this.tileWidth = (divisible ? width : width + tilesX - width % tilesX) / tilesX;
        this.tileHeight = (divisible ? height : height + tilesY - height % tilesY) / tilesY;
        if (pixels instanceof Pixels.Float32) {
            this.bins = requestedBins;
            this.firstBin = realBin(data.low());
            this.usedBins = realBin(data.high()) - firstBin + 1;
            this.binOfValue = null;
            this.dataLow = 0;
        } else {
            int spread = (int) (range.high() - range.low());
            this.bins = Math.min(requestedBins, spread + 1);
            this.dataLow = (int) data.low();
            int offset = dataLow - (int) range.low();
            this.firstBin = integerBin(offset, spread);
            this.usedBins = integerBin((int) data.high() - (int) range.low(), spread) - firstBin + 1;
            this.binOfValue = new int[(int) (data.high() - data.low()) + 1];
            for (int j = 0; j < binOfValue.length; j++) {
                binOfValue[j] = integerBin(offset + j, spread) - firstBin;
            }
        }
        this.mappings = new float[tilesX * tilesY * usedBins];
    }

    /**
     * {@code floor(j * bins / (high - low))} for the value {@code low + j}, the top value in the last bin (one bin
     * per value when {@code bins = high - low + 1}).
     */
    private int integerBin(int j, int spread) {
        return (int) Math.min(bins - 1, (long) j * bins / spread);
    }

    /** Multiply, then divide: integer-valued reals fall in the same bins as in an integer image. */
    private int realBin(double value) {
        double position = (value - range.low()) * bins / (range.high() - range.low());
        return (int) Math.max(0, Math.min(bins - 1, Math.floor(position)));
    }

    Pixels apply() throws AlgorithmException {
        Rows.run("CLAHE", tilesY, (long) tileHeight * tilesX * tileWidth, (first, end) -> {
            for (int ty = first; ty < end; ty++) {
                mapTileRow(ty);
            }
        });
        return interpolate();
    }

    /** Histograms, clipping and mappings of the tiles in tile row {@code ty}, over the used bins only. */
    private void mapTileRow(int ty) {
        int extendedWidth = tileWidth * tilesX;
        int[] columns = new int[extendedWidth];
        for (int x = 0; x < extendedWidth; x++) {
            columns[x] = reflect101(x, width);
        }
        int[] rowBins = new int[extendedWidth];
        int[][] histograms = new int[tilesX][usedBins];
        for (int y = ty * tileHeight; y < (ty + 1) * tileHeight; y++) {
            decodeBins(reflect101(y, height), columns, extendedWidth, rowBins);
            for (int tx = 0; tx < tilesX; tx++) {
                int[] histogram = histograms[tx];
                for (int x = tx * tileWidth; x < (tx + 1) * tileWidth; x++) {
                    histogram[rowBins[x]]++;
                }
            }
        }
        for (int tx = 0; tx < tilesX; tx++) {
            map(histograms[tx], (ty * tilesX + tx) * usedBins);
        }
    }

    /**
     * One tile's mapping from its histogram over the used bins. Clipping as OpenCV does it over all {@code bins}:
     * counts above the limit are cut, {@code clipped / bins} is added to every bin and the remainder one by one at
     * bins 0, step, 2 step, ... Bins outside the used ones are empty, so the cumulative count at bin b is the
     * clipped counts up to b plus {@code (b + 1) * batch} plus the remainder increments at or below b.
     */
    private void map(int[] histogram, int offset) {
        int area = tileWidth * tileHeight;
        // OpenCV computes the scale in float; so do we, for the same rounding.
        float scale = (float) (range.high() - range.low()) / area;
        boolean integer = binOfValue != null;
        long batch = 0;
        long residual = 0;
        long step = 1;
        if (clipLimit > 0) {
            int limit = Math.max(1, (int) (clipLimit * area / bins));
            long clipped = 0;
            for (int b = 0; b < usedBins; b++) {
                if (histogram[b] > limit) {
                    clipped += histogram[b] - limit;
                    histogram[b] = limit;
                }
            }
            batch = clipped / bins;
            residual = clipped - batch * bins;
            step = residual == 0 ? 1 : Math.max(bins / residual, 1);
        }
        long counted = 0;
        for (int b = 0; b < usedBins; b++) {
            counted += histogram[b];
            long bin = firstBin + b;
            long sum = counted + (bin + 1) * batch + (residual == 0 ? 0 : Math.min(residual, bin / step + 1));
            float value = sum * scale;
            mappings[offset + b] = (float) (range.low() + (integer ? Math.rint(value) : value));
        }
    }

    /** The bilinear interpolation between tile mappings, in float as OpenCV computes it. */
    private Pixels interpolate() throws AlgorithmException {
        float inverseTileWidth = 1.0f / tileWidth;
        int[] left = new int[width];
        int[] right = new int[width];
        float[] rightWeight = new float[width];
        float[] leftWeight = new float[width];
        for (int x = 0; x < width; x++) {
            float position = x * inverseTileWidth - 0.5f;
            int tile = (int) Math.floor(position);
            rightWeight[x] = position - tile;
            leftWeight[x] = 1.0f - rightWeight[x];
            left[x] = Math.max(tile, 0) * usedBins;
            right[x] = Math.min(tile + 1, tilesX - 1) * usedBins;
        }
        float inverseTileHeight = 1.0f / tileHeight;
        int n = width * height;
        byte[] out8 = pixels instanceof Pixels.Gray8 ? new byte[n] : null;
        short[] out16 = pixels instanceof Pixels.Gray16 ? new short[n] : null;
        float[] outReal = pixels instanceof Pixels.Float32 ? new float[n] : null;
        Rows.run("CLAHE", height, width, (first, end) -> {
            int[] rowBins = new int[width];
            float[] row = new float[width];
            for (int y = first; y < end; y++) {
                float position = y * inverseTileHeight - 0.5f;
                int tile = (int) Math.floor(position);
                float lowerWeight = position - tile;
                float upperWeight = 1.0f - lowerWeight;
                int upper = Math.max(tile, 0) * tilesX * usedBins;
                int lower = Math.min(tile + 1, tilesY - 1) * tilesX * usedBins;
                decodeBins(y, null, width, rowBins);
                for (int x = 0; x < width; x++) {
                    int b = rowBins[x];
                    row[x] = (mappings[upper + left[x] + b] * leftWeight[x]
                            + mappings[upper + right[x] + b] * rightWeight[x]) * upperWeight
                            + (mappings[lower + left[x] + b] * leftWeight[x]
                                    + mappings[lower + right[x] + b] * rightWeight[x]) * lowerWeight;
                }
                int offset = y * width;
                if (outReal != null) {
                    System.arraycopy(row, 0, outReal, offset, width);
                } else if (out16 != null) {
                    for (int x = 0; x < width; x++) {
                        out16[offset + x] = (short) (int) Math.rint(row[x]);
                    }
                } else {
                    for (int x = 0; x < width; x++) {
                        out8[offset + x] = (byte) (int) Math.rint(row[x]);
                    }
                }
            }
        });
        if (outReal != null) {
            return new Pixels.Float32(outReal);
        }
        return out16 != null ? new Pixels.Gray16(out16, ((Pixels.Gray16) pixels).signed()) : new Pixels.Gray8(out8);
    }

    /**
     * The bins (less {@code firstBin}) of row {@code y}: of columns {@code columns[0 .. count - 1]}, or of columns
     * {@code 0 .. count - 1} when {@code columns} is null.
     */
    private void decodeBins(int y, int[] columns, int count, int[] target) {
        int offset = y * width;
        if (pixels instanceof Pixels.Gray8 gray) {
            byte[] values = gray.values();
            for (int x = 0; x < count; x++) {
                target[x] = binOfValue[(values[offset + (columns == null ? x : columns[x])] & 0xFF) - dataLow];
            }
        } else if (pixels instanceof Pixels.Gray16 gray) {
            short[] values = gray.values();
            boolean signed = gray.signed();
            for (int x = 0; x < count; x++) {
                short v = values[offset + (columns == null ? x : columns[x])];
                target[x] = binOfValue[(signed ? v : v & 0xFFFF) - dataLow];
            }
        } else {
            float[] values = ((Pixels.Float32) pixels).values();
            for (int x = 0; x < count; x++) {
                target[x] = realBin(values[offset + (columns == null ? x : columns[x])]) - firstBin;
            }
        }
    }

    /** Mirror about the edge sample, periodically ({@code d c b | a b c d | c b a}). */
    static int reflect101(int i, int size) {
        if (i < size) {
            return i;
        }
        if (size == 1) {
            return 0;
        }
        int period = 2 * size - 2;
        int j = i % period;
        return j < size ? j : period - j;
    }
}

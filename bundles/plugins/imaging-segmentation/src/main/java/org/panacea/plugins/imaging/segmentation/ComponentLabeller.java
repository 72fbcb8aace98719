package org.panacea.plugins.imaging.segmentation;

import java.util.stream.IntStream;

import org.panacea.api.imaging.Pixels;
import org.panacea.plugins.support.threads.ImagingThreads;

/**
 * Connected-component labelling of the pixels inside a {@link ValueWindow}, by union-find over pixel indices. Each
 * set's root is its smallest index (the union links the larger root under the smaller), so one raster pass can
 * both flatten the trees and number the components in the order of their first pixel, top to bottom, left to
 * right: ImageJ's particle analyser numbers particles in the same order.
 * <p>
 * Large images are labelled in horizontal strips in parallel (unions stay inside a strip), then the strips' seams
 * are joined one after another; the result is the same as a single pass.
 */
final class ComponentLabeller {

    static final int BACKGROUND = -1;
    private static final int PARALLEL_PIXELS = 1 << 17;
    private static final int STRIP_ROWS = 64;

    private ComponentLabeller() {
    }

    /**
     * Labels the image; returns one int per pixel: 0 for background, else the 1-based component number in raster
     * order of first pixels. {@code count[0]} receives the number of components.
     */
    static int[] label(Pixels pixels, int width, int height, ValueWindow window, boolean eightConnected,
            int[] count) {
        int[] parent = new int[width * height];
        Foreground foreground = new Foreground(pixels, window);
        int strips = (long) width * height >= PARALLEL_PIXELS && ImagingThreads.parallel() ? (height + STRIP_ROWS - 1) / STRIP_ROWS : 1;
        int stripRows = strips == 1 ? height : STRIP_ROWS;
        IntStream indices = IntStream.range(0, strips);
        (strips > 1 ? indices.parallel() : indices).forEach(s -> {
            int y0 = s * stripRows;
            int y1 = Math.min(height, y0 + stripRows);
            for (int y = y0; y < y1; y++) {
                int row = y * width;
                for (int x = 0; x < width; x++) {
                    parent[row + x] = foreground.test(row + x) ? row + x : BACKGROUND;
                }
                for (int x = 0; x < width; x++) {
                    if (parent[row + x] != BACKGROUND) {
                        joinWithNeighbours(parent, width, x, y, y > y0, eightConnected);
                    }
                }
            }
        });
        for (int s = 1; s < strips; s++) {
            int y = s * stripRows;
            for (int x = 0; x < width; x++) {
                if (parent[y * width + x] != BACKGROUND) {
                    joinAbove(parent, width, x, y, eightConnected);
                }
            }
        }
        count[0] = flatten(parent);
        return parent;
    }

    private static void joinWithNeighbours(int[] parent, int width, int x, int y, boolean rowAbove,
            boolean eightConnected) {
        int i = y * width + x;
        if (x > 0 && parent[i - 1] != BACKGROUND) {
            union(parent, i, i - 1);
        }
        if (rowAbove) {
            joinAbove(parent, width, x, y, eightConnected);
        }
    }

    private static void joinAbove(int[] parent, int width, int x, int y, boolean eightConnected) {
        int i = y * width + x;
        int up = i - width;
        if (parent[up] != BACKGROUND) {
            union(parent, i, up);
        }
        if (eightConnected) {
            if (x > 0 && parent[up - 1] != BACKGROUND) {
                union(parent, i, up - 1);
            }
            if (x + 1 < width && parent[up + 1] != BACKGROUND) {
                union(parent, i, up + 1);
            }
        }
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra < rb) {
            parent[rb] = ra;
        } else if (rb < ra) {
            parent[ra] = rb;
        }
    }

    /**
     * Replaces every parent index by its component's number. In raster order a pixel's parent (never after it)
     * has already been replaced by its number, so one pass suffices.
     */
    private static int flatten(int[] parent) {
        int components = 0;
        for (int i = 0; i < parent.length; i++) {
            int p = parent[i];
            if (p == BACKGROUND) {
                parent[i] = 0;
            } else if (p == i) {
                parent[i] = ++components;
            } else {
                parent[i] = parent[p];
            }
        }
        return components;
    }
}

package org.panacea.onnx.internal.models;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.inference.Tensor;

/**
 * Occlusion sensitivity (Zeiler and Fergus 2014), the explanation any graph allows: the network's input is divided into
 * an 8 x 8 grid of patches; each patch in turn is set to the window's lower end (what the network sees for tissue
 * below the window: air), the graph runs again, and the patch's value is how much the top class's probability drops
 * (negative where hiding the patch makes the class more likely). The map, at the network's size, is brought back to the
 * frame's rows and columns by nearest neighbour, as a real-valued image in probability units.
 */
final class OcclusionSensitivity {

    static final int GRID = 8;

    /** The probabilities of an input tensor. */
    @FunctionalInterface
    interface Classifier {
        double[] probabilities(Tensor input) throws AlgorithmException;
    }

    private OcclusionSensitivity() {
    }

    static Image map(Tensor input, int topClass, double topProbability, ModelDescription.Preprocessing steps,
            Classifier classifier, Image source) throws AlgorithmException {
        long[] shape = input.shape();
        int height = (int) shape[2];
        int width = (int) shape[3];
        float hidden = (float) ((0.0 - steps.normalise().mean()) / steps.normalise().std());
        float[] sensitivity = new float[height * width];
        for (int gy = 0; gy < GRID; gy++) {
            for (int gx = 0; gx < GRID; gx++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new AlgorithmException("stopped: interrupted while explaining");
                }
                int y0 = gy * height / GRID;
                int y1 = (gy + 1) * height / GRID;
                int x0 = gx * width / GRID;
                int x1 = (gx + 1) * width / GRID;
                float[] occluded = input.values().clone();
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        occluded[y * width + x] = hidden;
                    }
                }
                double drop = topProbability - classifier.probabilities(new Tensor(shape, occluded))[topClass];
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        sensitivity[y * width + x] = (float) drop;
                    }
                }
            }
        }
        float[] out = new float[source.width() * source.height()];
        float largest = 0;
        for (int y = 0; y < source.height(); y++) {
            int sy = ImagePreprocessor.nearestIndex(y, height, source.height());
            for (int x = 0; x < source.width(); x++) {
                float value = sensitivity[sy * width + ImagePreprocessor.nearestIndex(x, width, source.width())];
                out[y * source.width() + x] = value;
                largest = Math.max(largest, Math.abs(value));
            }
        }
        ImageMetadata metadata = source.metadata();
        double span = largest > 0 ? 2.0 * largest : 1.0;
        ImageMetadata mapMetadata = new ImageMetadata(metadata.modality(), metadata.rowSpacing(),
                metadata.columnSpacing(), 1, 0, "", 0, span, 32, metadata.sourceInstanceUid());
        return new Image(source.width(), source.height(), new Pixels.Float32(out), mapMetadata);
    }
}

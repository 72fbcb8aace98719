package org.panacea.onnx.internal.models;

import java.util.ArrayList;
import java.util.List;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Finding;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.inference.Tensor;
import org.panacea.api.plugin.Parameters;

/**
 * A described segmentation network as an imaging algorithm: per-label scores {@code [1, labels, h, w]} become a label
 * map by argmax (the first label wins a tie), which is brought back to the frame's own rows and columns by nearest
 * neighbour ({@link ImagePreprocessor#nearestIndex}) and returned as an 8-bit mask image in the source's geometry
 * (sample = label index). Each label other than the first (background) is reported with its pixel count and its area
 * in mm² when the spacing is known.
 */
final class OnnxImageSegmenter extends OnnxImageModel {

    OnnxImageSegmenter(DescribedModel model) {
        super(model);
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        ModelDescription description = model.description();
        Tensor scores = run(applicableInput(image));
        long[] shape = scores.shape();
        int labels = (int) shape[1];
        int height = (int) shape[2];
        int width = (int) shape[3];
        byte[] labelMap = argmax(scores.values(), labels, height, width);
        byte[] mask = new byte[image.width() * image.height()];
        long[] counts = new long[labels];
        for (int y = 0; y < image.height(); y++) {
            int sy = ImagePreprocessor.nearestIndex(y, height, image.height());
            for (int x = 0; x < image.width(); x++) {
                byte label = labelMap[sy * width + ImagePreprocessor.nearestIndex(x, width, image.width())];
                mask[y * image.width() + x] = label;
                counts[label]++;
            }
        }
        ImageMetadata source = image.metadata();
        double pixelArea = source.rowSpacing() * source.columnSpacing();
        List<Measurement> measurements = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (int label = 1; label < labels; label++) {
            String name = description.output().labels().get(label);
            List<Measurement> about = new ArrayList<>();
            about.add(new Measurement("pixels", counts[label], ""));
            if (!Double.isNaN(pixelArea)) {
                about.add(new Measurement("area", counts[label] * pixelArea, "mm2"));
                measurements.add(new Measurement("area " + name, counts[label] * pixelArea, "mm2"));
            }
            measurements.add(new Measurement("pixels " + name, counts[label], ""));
            findings.add(new Finding(name, about));
        }
        ImageMetadata maskMetadata = new ImageMetadata(source.modality(), source.rowSpacing(), source.columnSpacing(),
                1, 0, "", (labels - 1) / 2.0, Math.max(1, labels - 1), 8, source.sourceInstanceUid());
        Image maskImage = new Image(image.width(), image.height(), new Pixels.Gray8(mask), maskMetadata);
        return new AlgorithmResult(maskImage, measurements, findings);
    }

    /** The network's per-label scores for the frame, without the applicability check (for tests). */
    Tensor scores(Image image) throws AlgorithmException {
        return run(preprocessor.apply(image));
    }

    static byte[] argmax(float[] scores, int labels, int height, int width) {
        int plane = height * width;
        byte[] map = new byte[plane];
        for (int i = 0; i < plane; i++) {
            int best = 0;
            for (int label = 1; label < labels; label++) {
                if (scores[label * plane + i] > scores[best * plane + i]) {
                    best = label;
                }
            }
            map[i] = (byte) best;
        }
        return map;
    }
}

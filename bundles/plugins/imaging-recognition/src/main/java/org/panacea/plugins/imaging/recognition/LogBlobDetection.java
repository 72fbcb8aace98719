package org.panacea.plugins.imaging.recognition;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Finding;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;

/**
 * Blob and nodule-candidate detection with {@link LogBlobDetector} on rescaled values, reported in physical units.
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + LogBlobDetection.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + LogBlobDetection.VERSION })
public class LogBlobDetection implements ImagingAlgorithm {

    static final String ID = "imaging.log-blobs";
    static final String VERSION = "1.0.0";

    static final double MIN_SIGMA = 0.5;
    static final double MAX_SIGMA = 50;
    static final int MAX_SCALES = 50;

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION,
            "Blob detection (Laplacian of Gaussian)", "Panacea",
            "Finds bright blobs as maxima of the scale-normalised Laplacian of Gaussian -sigma^2 LoG over position "
                    + "and scale, on rescaled values (stored * slope + intercept, HU for CT), as scikit-image's "
                    + "blob_log: num_sigma scales evenly spaced from min_sigma to max_sigma (pixels); Gaussian "
                    + "derivatives of radius (int)(4 sigma + 0.5) with border reflect (d c b a | a b c d); a "
                    + "candidate's response must exceed threshold and be at least that of its 26 neighbours in "
                    + "position and scale; of two blobs whose disks (radius sigma * sqrt 2) overlap by more than "
                    + "overlap of the smaller's area, the one of smaller scale is dropped. A Gaussian blob of "
                    + "amplitude A peaks at sigma = its own sigma with response A / 2; a disk of radius R near "
                    + "sigma = R / sqrt 2. One finding per blob, strongest first: row, column (pixels, 0-based), "
                    + "x, y (mm from the image's top-left corner to the pixel centre), sigma (pixels), radius "
                    + "(sigma * sqrt 2, mm with the mean of the two spacings; pixels when the spacing is unknown) "
                    + "and contrast (the response, rescaled units). Output image: the strongest response over "
                    + "the scales at each pixel, 32-bit real, in rescaled units",
            "Marking candidate nodules, calcifications or lesions for a reader to review (computer-aided "
                    + "detection research); candidates are not diagnoses and the list is neither complete nor "
                    + "specific",
            List.of(ParameterSpec.decimal("min_sigma", "smallest scale, pixels (blob radius ~ sigma * sqrt 2)", "",
                            MIN_SIGMA, MAX_SIGMA, 1.0),
                    ParameterSpec.decimal("max_sigma", "largest scale, pixels; at least min_sigma", "", MIN_SIGMA,
                            MAX_SIGMA, 8.0),
                    ParameterSpec.integer("num_sigma", "number of scales from min_sigma to max_sigma, 1 to "
                            + MAX_SCALES + " (1 = min_sigma only)", 1, MAX_SCALES, 15),
                    ParameterSpec.decimal("threshold",
                            "smallest response reported, rescaled units (HU for CT), 0 or more; about half "
                                    + "the contrast of the faintest blob wanted",
                            "", 0.0, null, 30.0),
                    ParameterSpec.decimal("overlap",
                            "largest fraction of a smaller blob's area that a larger one may cover, 0 to 1 (1 "
                                    + "keeps every candidate)",
                            "", 0.0, 1.0, 0.5)));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        double minSigma = parameters.decimal("min_sigma");
        double maxSigma = parameters.decimal("max_sigma");
        int scales = parameters.integer("num_sigma");
        double threshold = parameters.decimal("threshold");
        double overlap = parameters.decimal("overlap");
        if (!(minSigma >= MIN_SIGMA && minSigma <= MAX_SIGMA)) {
            throw new AlgorithmException("min_sigma must be between " + MIN_SIGMA + " and " + MAX_SIGMA
                    + " pixels, was " + minSigma);
        }
        if (!(maxSigma >= minSigma && maxSigma <= MAX_SIGMA)) {
            throw new AlgorithmException("max_sigma must be between min_sigma (" + minSigma + ") and " + MAX_SIGMA
                    + " pixels, was " + maxSigma);
        }
        if (scales < 1 || scales > MAX_SCALES) {
            throw new AlgorithmException("num_sigma must be between 1 and " + MAX_SCALES + ", was " + scales);
        }
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new AlgorithmException("threshold must be a finite value of 0 or more, was " + threshold);
        }
        if (!(overlap >= 0 && overlap <= 1)) {
            throw new AlgorithmException("overlap must be between 0 and 1, was " + overlap);
        }
        ImageMetadata metadata = image.metadata();
        Pixels pixels = image.pixels();
        double[] values = new double[pixels.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = pixels.sample(i) * metadata.rescaleSlope() + metadata.rescaleIntercept();
        }
        LogBlobDetector.Detection detection;
        try {
            detection = new LogBlobDetector(minSigma, maxSigma, scales, threshold, overlap)
                    .detect(values, image.width(), image.height());
        } catch (LogBlobDetector.CancellationRequested e) {
            throw new AlgorithmException("blob detection interrupted (time limit)", e);
        }

        boolean mm = metadata.rowSpacing() > 0 && metadata.columnSpacing() > 0;
        double dx = mm ? metadata.columnSpacing() : 1;
        double dy = mm ? metadata.rowSpacing() : 1;
        double meanSpacing = (dx + dy) / 2;
        String length = mm ? "mm" : "{pixel}";
        String unit = "HU".equals(metadata.rescaleUnit()) ? "[hnsf'U]" : metadata.rescaleUnit();
        List<Finding> findings = new ArrayList<>();
        int number = 0;
        for (Blob blob : detection.blobs()) {
            findings.add(new Finding("blob " + ++number, List.of(
                    new Measurement("row", blob.row(), "{pixel}"),
                    new Measurement("column", blob.column(), "{pixel}"),
                    new Measurement("x", (blob.column() + 0.5) * dx, length),
                    new Measurement("y", (blob.row() + 0.5) * dy, length),
                    new Measurement("sigma", blob.sigma(), "{pixel}"),
                    new Measurement("radius", blob.radius() * meanSpacing, length),
                    new Measurement("contrast", blob.contrast(), unit))));
        }
        ImageMetadata response = new ImageMetadata(metadata.modality(), metadata.rowSpacing(),
                metadata.columnSpacing(), 1, 0, metadata.rescaleUnit(), Double.NaN, Double.NaN, 32,
                metadata.sourceInstanceUid());
        return new AlgorithmResult(
                new Image(image.width(), image.height(), new Pixels.Float32(detection.strongestResponse()), response),
                List.of(new Measurement("blob_count", findings.size(), "")), findings);
    }
}

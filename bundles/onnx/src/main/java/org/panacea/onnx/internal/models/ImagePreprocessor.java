package org.panacea.onnx.internal.models;

import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.inference.Tensor;

/**
 * A frame to the network's input tensor, as the descriptor declares: rescaled values (HU for CT: stored * slope +
 * intercept), a linear window to [0, 1] (clipped), resampling to the network's size, {@code (x - mean) / std}, one
 * channel NCHW. Arithmetic in double, one rounding to float at the end.
 * <p>
 * Bilinear uses half-pixel centres (PyTorch {@code align_corners=False}, OpenCV {@code INTER_LINEAR}, no
 * antialiasing): output pixel {@code (y, x)} reads the input at {@code ((y + 0.5) * inH / outH - 0.5, ...)}, clamped
 * to the image. Nearest reads the input pixel whose centre is closest: {@code floor((y + 0.5) * inH / outH)}.
 */
public final class ImagePreprocessor {

    private final ModelDescription.Preprocessing steps;

    public ImagePreprocessor(ModelDescription.Preprocessing steps) {
        this.steps = steps;
    }

    public Tensor apply(Image image) {
        double[] values = rescaledAndWindowed(image);
        int outW = steps.resample().width();
        int outH = steps.resample().height();
        double[] resampled = "nearest".equals(steps.resample().interpolation())
                ? nearest(values, image.width(), image.height(), outW, outH)
                : bilinear(values, image.width(), image.height(), outW, outH);
        double mean = steps.normalise().mean();
        double std = steps.normalise().std();
        float[] out = new float[resampled.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((resampled[i] - mean) / std);
        }
        return new Tensor(new long[] {1, 1, outH, outW}, out);
    }

    private double[] rescaledAndWindowed(Image image) {
        ImageMetadata metadata = image.metadata();
        boolean rescale = !"none".equals(steps.rescale());
        double slope = rescale ? metadata.rescaleSlope() : 1;
        double intercept = rescale ? metadata.rescaleIntercept() : 0;
        ModelDescription.Window window = steps.window();
        double[] values = new double[image.pixels().length()];
        for (int i = 0; i < values.length; i++) {
            double value = image.pixels().sample(i) * slope + intercept;
            if (window != null) {
                value = Math.min(1.0, Math.max(0.0, (value - (window.center() - window.width() / 2.0))
                        / window.width()));
            }
            values[i] = value;
        }
        return values;
    }

    static double[] bilinear(double[] in, int inW, int inH, int outW, int outH) {
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        double[] fx = new double[outW];
        axis(inW, outW, x0, x1, fx);
        int[] y0 = new int[outH];
        int[] y1 = new int[outH];
        double[] fy = new double[outH];
        axis(inH, outH, y0, y1, fy);
        double[] out = new double[outW * outH];
        for (int y = 0; y < outH; y++) {
            int top = y0[y] * inW;
            int bottom = y1[y] * inW;
            for (int x = 0; x < outW; x++) {
                double upper = in[top + x0[x]] * (1 - fx[x]) + in[top + x1[x]] * fx[x];
                double lower = in[bottom + x0[x]] * (1 - fx[x]) + in[bottom + x1[x]] * fx[x];
                out[y * outW + x] = upper * (1 - fy[y]) + lower * fy[y];
            }
        }
        return out;
    }

    private static void axis(int in, int out, int[] low, int[] high, double[] fraction) {
        for (int i = 0; i < out; i++) {
            double source = Math.min(Math.max((i + 0.5) * in / out - 0.5, 0.0), in - 1);
            low[i] = (int) Math.floor(source);
            high[i] = Math.min(low[i] + 1, in - 1);
            fraction[i] = source - low[i];
        }
    }

    static double[] nearest(double[] in, int inW, int inH, int outW, int outH) {
        double[] out = new double[outW * outH];
        for (int y = 0; y < outH; y++) {
            int sy = nearestIndex(y, inH, outH);
            for (int x = 0; x < outW; x++) {
                out[y * outW + x] = in[sy * inW + nearestIndex(x, inW, outW)];
            }
        }
        return out;
    }

    /** The source index whose pixel centre is closest to output pixel {@code i}'s. */
    static int nearestIndex(int i, int in, int out) {
        return Math.min((int) Math.floor((i + 0.5) * in / out), in - 1);
    }
}

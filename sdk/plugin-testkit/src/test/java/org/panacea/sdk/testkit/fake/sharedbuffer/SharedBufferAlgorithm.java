package org.panacea.sdk.testkit.fake.sharedbuffer;

import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;
import org.panacea.sdk.testkit.fake.good.GoodAlgorithm;

/** Broken on purpose: keeps its working buffer in a field, so concurrent calls write into each other's output. */
public class SharedBufferAlgorithm extends GoodAlgorithm {

    private float[] buffer = new float[0];

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) {
        int n = image.pixels().length();
        if (buffer.length < n) {
            buffer = new float[n];
        }
        for (int i = 0; i < n; i++) {
            buffer[i] = (float) image.pixels().sample(i);
            if ((i & 15) == 0) {
                Thread.yield();
            }
        }
        float[] out = new float[n];
        System.arraycopy(buffer, 0, out, 0, n);
        return AlgorithmResult.of(new Image(image.width(), image.height(), new Pixels.Float32(out), image.metadata()));
    }
}

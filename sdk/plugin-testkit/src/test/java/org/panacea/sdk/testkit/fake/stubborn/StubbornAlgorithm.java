package org.panacea.sdk.testkit.fake.stubborn;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.plugin.Parameters;
import org.panacea.sdk.testkit.fake.good.GoodAlgorithm;

/** Broken on purpose: on large images it works on for a second and a half, deaf to interruption. */
public class StubbornAlgorithm extends GoodAlgorithm {

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        if (image.pixels().length() >= 1 << 20) {
            long end = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            return AlgorithmResult.of(image);
        }
        return super.apply(image, parameters);
    }
}

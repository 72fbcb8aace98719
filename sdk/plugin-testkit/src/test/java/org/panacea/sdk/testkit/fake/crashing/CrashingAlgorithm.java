package org.panacea.sdk.testkit.fake.crashing;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;
import org.panacea.sdk.testkit.fake.good.GoodAlgorithm;

/** Broken on purpose: assumes 16-bit input and at least two rows, as a 3x3 filter written in a hurry would. */
public class CrashingAlgorithm extends GoodAlgorithm {

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        short[] values = ((Pixels.Gray16) image.pixels()).values();
        if (values[image.width()] == Short.MIN_VALUE) {
            throw new AlgorithmException("never");
        }
        return super.apply(image, parameters);
    }
}

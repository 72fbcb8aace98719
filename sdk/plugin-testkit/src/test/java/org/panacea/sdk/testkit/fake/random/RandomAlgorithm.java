package org.panacea.sdk.testkit.fake.random;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.plugin.Parameters;
import org.panacea.sdk.testkit.fake.good.GoodAlgorithm;

/** Broken on purpose: reports a measurement with random jitter, as an unseeded random sampler would. */
public class RandomAlgorithm extends GoodAlgorithm {

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        Image out = super.apply(image, parameters).image();
        return new AlgorithmResult(out, List.of(new Measurement("noise", ThreadLocalRandom.current().nextDouble(), "1")),
                List.of());
    }
}

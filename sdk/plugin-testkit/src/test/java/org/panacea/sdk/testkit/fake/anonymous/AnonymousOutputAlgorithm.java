package org.panacea.sdk.testkit.fake.anonymous;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.plugin.Parameters;
import org.panacea.sdk.testkit.fake.good.GoodAlgorithm;

/** Broken on purpose: its output forgets which image it came from. */
public class AnonymousOutputAlgorithm extends GoodAlgorithm {

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        Image out = super.apply(image, parameters).image();
        return AlgorithmResult.of(new Image(out.width(), out.height(), out.pixels(), ImageMetadata.unknown(32)));
    }
}

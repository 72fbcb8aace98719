package org.panacea.sdk.testkit.fake.inplace;

import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;
import org.panacea.sdk.testkit.fake.good.GoodAlgorithm;

/** Broken on purpose: inverts 8-bit images in place, saving an allocation and spoiling the shared input. */
public class InPlaceAlgorithm extends GoodAlgorithm {

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) {
        if (image.pixels() instanceof Pixels.Gray8 gray) {
            byte[] values = gray.values();
            for (int i = 0; i < values.length; i++) {
                values[i] = (byte) (255 - (values[i] & 0xFF));
            }
        }
        return AlgorithmResult.of(image);
    }
}

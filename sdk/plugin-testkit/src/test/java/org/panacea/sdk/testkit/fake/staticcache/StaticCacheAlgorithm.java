package org.panacea.sdk.testkit.fake.staticcache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.plugin.Parameters;
import org.panacea.sdk.testkit.fake.good.GoodAlgorithm;

/** Broken on purpose: remembers every image size it saw in a static cache that outlives the instance. */
public class StaticCacheAlgorithm extends GoodAlgorithm {

    private static final Map<String, Integer> SEEN = new ConcurrentHashMap<>();

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        SEEN.merge(image.width() + "x" + image.height(), 1, Integer::sum);
        return super.apply(image, parameters);
    }
}

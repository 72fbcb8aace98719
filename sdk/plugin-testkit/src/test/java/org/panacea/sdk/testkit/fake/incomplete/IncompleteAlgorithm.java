package org.panacea.sdk.testkit.fake.incomplete;

import java.util.List;

import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;

/** Broken on purpose: says nothing about who made it, what it does or what it is for. */
public class IncompleteAlgorithm implements ImagingAlgorithm {

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor("test.incomplete", "1.0.0", null, "",
            "copies", "", List.of());

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) {
        return AlgorithmResult.of(image);
    }
}

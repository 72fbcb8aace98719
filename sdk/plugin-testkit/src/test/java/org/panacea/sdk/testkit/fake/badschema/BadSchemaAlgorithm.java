package org.panacea.sdk.testkit.fake.badschema;

import java.util.List;

import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.ParameterType;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;

/** Broken on purpose: a default outside its range, a default that is not a choice, a name used twice. */
public class BadSchemaAlgorithm implements ImagingAlgorithm {

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor("test.bad-schema", "1.0.0", "Bad schema",
            "Test Vendor", "Returns its input unchanged, whatever the parameters say",
            "Test fixture for the plugin test kit; no clinical use",
            List.of(ParameterSpec.integer("radius", "radius in pixels", 1, 5, 9),
                    new ParameterSpec("border", ParameterType.CHOICE, "border mode", "", "", null, null, "wrap",
                            List.of("reflect", "nearest")),
                    ParameterSpec.decimal("radius", "the same name again", "mm", 0.0, 1.0, 0.5)));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) {
        return AlgorithmResult.of(image);
    }
}

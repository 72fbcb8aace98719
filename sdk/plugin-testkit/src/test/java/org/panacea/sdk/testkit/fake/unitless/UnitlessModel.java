package org.panacea.sdk.testkit.fake.unitless;

import java.util.List;
import java.util.Map;

import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.ParameterType;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.sdk.testkit.fake.goodmodel.GoodModel;

/** Broken on purpose: a numeric input without a unit, and a code that is not 'system|code'. */
public class UnitlessModel extends GoodModel {

    private static final ModelDescriptor CARD = new ModelDescriptor(new PluginDescriptor("test.unitless", "1.0.0",
            "Unitless", "Test Vendor", "Like the good score, with a schema that leaves out units",
            "Test fixture for the plugin test kit; no clinical use",
            List.of(new ParameterSpec("respiratory_rate", ParameterType.DECIMAL, "breaths", "", "9279-1", 0.0, 80.0,
                    null, List.of()), GoodModel.INPUTS.get(1))),
            GoodModel.CARD.trainingData(), Map.of("auc", 0.5));

    @Override
    public ModelDescriptor descriptor() {
        return CARD;
    }
}

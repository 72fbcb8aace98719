package org.panacea.sdk.testkit.fake.cardless;

import java.util.Map;

import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.sdk.testkit.fake.goodmodel.GoodModel;

/** Broken on purpose: does not say what it was fitted on or how well it did. */
public class CardlessModel extends GoodModel {

    private static final ModelDescriptor CARD = new ModelDescriptor(GoodModel.CARD.plugin(), "", Map.of());

    @Override
    public ModelDescriptor descriptor() {
        return CARD;
    }
}

package org.panacea.sdk.testkit.fake.mislabelled;

import org.panacea.sdk.testkit.fake.good.GoodAlgorithm;

/**
 * Broken on purpose: its component description (a test resource standing in for what bnd writes) registers it as
 * version 2.0.0 while its descriptor says 1.0.0, as when one constant is bumped and the other forgotten.
 */
public class MislabelledAlgorithm extends GoodAlgorithm {
}

/**
 * Prediction models: the extension point that prediction plugins implement, their inputs, and
 * the explained predictions they return.
 */
@Export
@Version("1.0.0")
package org.panacea.api.prediction;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * Inference on trained networks (ONNX): the runtime service the {@code panacea-onnx} feature provides, the models it
 * loads, their signatures, and the float tensors that go in and out. Plugins import this package to run a graph
 * under the platform's limits (threads, native memory, time) instead of embedding a runtime of their own.
 */
@Export
@Version("1.0.0")
package org.panacea.api.inference;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

package org.panacea.onnx.internal.runtime;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The ONNX runtime's settings, read from {@code etc/org.panacea.onnx.cfg} (Config Admin); every one has a working
 * default. A change re-activates the runtime: loaded models are closed and loaded again by their owners.
 */
@ObjectClassDefinition(id = OnnxConfig.PID, name = "Panacea ONNX runtime",
        description = "Threads and native memory of ONNX model runs")
public @interface OnnxConfig {

    /** The configuration PID. */
    String PID = "org.panacea.onnx";

    @AttributeDefinition(description = "The most intra-operator threads one run may use (1 to 256); 0 means the "
            + "number of processors. A run asking for more gets this many")
    int thread_limit() default 0;

    @AttributeDefinition(description = "Threads a run uses when its caller does not say (1 to 256)")
    int default_threads() default 1;

    @AttributeDefinition(description = "Threads each run of a model-only plugin's model uses (1 to 256; no more than "
            + "thread.limit)")
    int model_run_threads() default 1;

    @AttributeDefinition(description = "Native memory that loaded models and running calls may hold together, in MiB "
            + "(16 to 1048576). The JVM's heap guard cannot see this memory: a load or run that would pass the budget "
            + "is refused instead")
    int native_memory_limit_mb() default 1024;

    @AttributeDefinition(description = "Native memory a loaded model is assumed to hold, as a multiple of its file "
            + "size per session (1 to 64): the weights, and their copy optimised for the processor")
    int model_memory_factor() default 3;

    @AttributeDefinition(description = "Native memory a run is assumed to need, as a multiple of its input and output "
            + "bytes (1 to 1024): the intermediate tensors of small image networks stay within it")
    int run_memory_factor() default 32;
}

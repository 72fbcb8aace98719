package org.panacea.engine.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The engine's settings, read from {@code etc/org.panacea.engine.cfg} (Config Admin); every one has a working
 * default, and a change applies to the next call without a restart.
 */
@ObjectClassDefinition(id = EngineConfig.PID, name = "Panacea engine",
        description = "How the engine finds, swaps and runs imaging algorithms and prediction models")
public @interface EngineConfig {

    /** The configuration PID. */
    String PID = "org.panacea.engine";

    @AttributeDefinition(description = "How long a call waits for a plugin that went away (bundle update, reinstall) "
            + "to be replaced before it fails as unknown, in seconds (0 to 600)")
    int grace_period_seconds() default 10;

    @AttributeDefinition(description = "How long a plugin that goes away is held back while calls still run on it, "
            + "in seconds (0 to 600); after that it is let go and the calls may fail")
    int unbind_wait_seconds() default 30;

    @AttributeDefinition(description = "Time limit of one run, in seconds (1 to 3600); a request may ask for less, "
            + "never more. A run over the limit is interrupted and reported as timed out")
    int time_limit_seconds() default 60;

    @AttributeDefinition(description = "How many runs may execute at once (1 to 1024); more wait for a free slot")
    int max_concurrent_runs() default 8;

    @AttributeDefinition(description = "How long a run waits for a free slot before it is refused with 503 and "
            + "Retry-After, in seconds (0 to 600)")
    int queue_wait_seconds() default 5;

    @AttributeDefinition(description = "Working memory an algorithm is assumed to need, as a multiple of its input's "
            + "pixel bytes (1 to 64); a run that would not fit in the free heap is refused")
    int memory_factor() default 4;
}

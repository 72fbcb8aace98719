package org.panacea.api.metrics;

import org.osgi.annotation.versioning.ProviderType;

/** A count that only goes up (events seen since the node started). Thread-safe and cheap: call it on hot paths. */
@ProviderType
public interface Counter {

    /** Adds one. */
    void increment();
}

package org.panacea.api.security;

import java.util.List;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Key versions and rotation, without downtime: encryption keeps working through {@link #rotate()} and
 * {@link #rewrap}. Every rotation is audited. Thread-safe.
 */
@ProviderType
public interface KeyManagement {

    /** All key-encryption key versions, oldest first. */
    List<KeyVersion> keyVersions();

    /** Makes a new key version the active one; data written before stays readable. */
    KeyVersion rotate(Caller caller);

    /**
     * Re-wraps every data key still wrapped by an older version under the active one, reporting progress as it
     * goes. Safe to interrupt and to run again: each data key is re-wrapped atomically.
     */
    RewrapProgress rewrap(Caller caller, Consumer<RewrapProgress> progress);
}

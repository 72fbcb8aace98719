package org.panacea.api.security;

import java.time.Instant;

/**
 * One version of the key-encryption key.
 *
 * @param version          increasing from 1
 * @param created          when {@code key:rotate} made it
 * @param active           {@code true} for the one version that wraps new data keys
 * @param dataKeysWrapped  how many data keys this version still wraps (0 means it may be retired)
 */
public record KeyVersion(int version, Instant created, boolean active, long dataKeysWrapped) {
}

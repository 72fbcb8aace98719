package org.panacea.api.security;

/**
 * Progress of re-wrapping data keys under the active key version.
 *
 * @param done  data keys re-wrapped so far
 * @param total data keys that needed it when the run began
 */
public record RewrapProgress(long done, long total) {

    /** {@code true} when every data key is wrapped by the active version. */
    public boolean finished() {
        return done >= total;
    }
}

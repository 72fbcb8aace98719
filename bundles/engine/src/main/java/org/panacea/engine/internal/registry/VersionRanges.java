package org.panacea.engine.internal.registry;

import java.util.Optional;

import org.osgi.framework.VersionRange;

/** Reads the version range of a request, in OSGi syntax. */
public final class VersionRanges {

    private VersionRanges() {
    }

    /**
     * The range {@code text} names: an interval such as {@code [1.0,2.0)} (1.x), or a single version such as
     * {@code 1.2}, meaning that version or newer (OSGi's rule). Empty for a missing or blank text: any version.
     *
     * @throws IllegalArgumentException naming the text and the syntax, when it is not a range
     */
    public static Optional<VersionRange> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(VersionRange.valueOf(text.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("version: '" + text + "' is not a version range; write [1.0,2.0) for "
                    + "any 1.x, [1.2.0,1.2.0] for exactly 1.2.0, or 1.2 for 1.2 and newer");
        }
    }
}

package org.panacea.audit.internal;

import java.util.Locale;

/**
 * The components that report what the platform did rather than ask permission first, so cannot refuse the work when
 * the trail cannot record it: their lost events are counted per source instead.
 */
public enum LostEventSource {
    /** JAAS realm logins ({@link RealmLoginAuditor}). */
    LOGIN,
    /** Config Admin changes ({@link ConfigurationChangeAuditor}). */
    CONFIGURATION,
    /** Plugin bundle install, update and removal ({@link BundleLifecycleAuditor}). */
    PLUGIN;

    /** The lower-case word used in anchor files, entries and reports. */
    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The source named by {@code word}, or {@code null}. */
    static LostEventSource fromWord(String word) {
        for (LostEventSource source : values()) {
            if (source.word().equals(word)) {
                return source;
            }
        }
        return null;
    }
}

package org.panacea.audit.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Anchor journals in a test's folder, with the key file beside their anchor folder. */
final class Journals {

    private Journals() {
    }

    static TrailSettings settings(Path folder, String node) {
        return new TrailSettings(folder.resolve("etc").resolve("panacea-audit.key"), 1000, 256,
                folder.resolve("anchors"), node, Duration.ofHours(1));
    }

    static AnchorJournal open(Path folder, String node) {
        return new AnchorJournal(settings(folder, node), Clock.systemUTC());
    }

    static AnchorJournal open(Path folder, String node, Clock clock) {
        return new AnchorJournal(settings(folder, node), clock);
    }
}

package org.panacea.audit.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditVerification;

/**
 * Compares the chain, entry by entry as the verifier streams it, with what the anchor files say it held. An anchor
 * the chain matches proves the database still holds that entry as it was; one it does not match (the entry is gone,
 * or differs) proves the database was rolled back, cut or replaced since, even when the chain is sound in itself.
 * Such an anchor is <em>superseded</em>, not broken, when it is older than a restore epoch in the chain: an
 * administrator recorded that the database was restored from a backup on purpose.
 *
 * <p>Also sums up the gaps the files count: events the trail could not record. Not thread-safe; one per verification.
 */
final class AnchorComparison {

    private final List<AnchorFiles.FileContent> files;
    private final NavigableMap<Long, List<AnchorLine>> bySequence = new TreeMap<>();
    /** Epoch lines by "sequence hash", for the reason they carry. */
    private final Map<String, AnchorLine> epochLines = new HashMap<>();
    private final List<AnchorLine> differing = new ArrayList<>();
    private final List<EntryRow> epochs = new ArrayList<>();
    private long matched;

    AnchorComparison(List<AnchorFiles.FileContent> files) {
        this.files = files;
        for (AnchorFiles.FileContent file : files) {
            for (AnchorLine line : file.lines()) {
                if (line.kind().namesAnEntry()) {
                    bySequence.computeIfAbsent(line.sequence(), sequence -> new ArrayList<>(1)).add(line);
                }
                if (line.kind() == AnchorKind.EPOCH) {
                    epochLines.put(line.sequence() + " " + line.hash(), line);
                }
            }
        }
    }

    /** Compares {@code row}, which passed every check of the chain, with its anchors; always {@code true}. */
    boolean visit(EntryRow row) {
        List<AnchorLine> anchors = bySequence.get(row.sequence());
        if (anchors != null) {
            for (AnchorLine anchor : anchors) {
                if (anchor.hash().equals(row.hash())) {
                    matched++;
                } else {
                    differing.add(anchor);
                }
            }
        }
        if (AuditAction.RESTORE_EPOCH.name().equals(row.action())) {
            epochs.add(row);
        }
        return true;
    }

    /** The verdict of a chain that is broken in itself: that comes first; the gaps are still told. */
    TrailVerdict chainBroken(AuditVerification broken) {
        return new TrailVerdict(new AuditVerification(false, broken.entriesChecked(), broken.firstBroken(),
                broken.problem(), 0, 0, lostEvents(), gapRemarks()), TrailVerdict.Cause.CHAIN, 0);
    }

    /**
     * The verdict of a sound chain whose verified entries end at {@code lastSequence}: an anchor file problem first,
     * then any anchor the chain no longer matches, naming the newest such anchored entry.
     */
    TrailVerdict verdict(long entriesChecked, long lastSequence) {
        for (AnchorFiles.FileContent file : files) {
            if (file.problem() != null) {
                return new TrailVerdict(new AuditVerification(false, entriesChecked, file.problemSequence(),
                        file.problem(), matched, 0, lostEvents(), gapRemarks()), TrailVerdict.Cause.ANCHOR_FILE, 0);
            }
        }
        List<AnchorLine> missing = new ArrayList<>();
        bySequence.tailMap(lastSequence, false).values().forEach(missing::addAll);
        Instant latestEpoch = epochs.stream().map(EntryRow::time).max(Comparator.naturalOrder()).orElse(null);
        List<AnchorLine> broken = new ArrayList<>();
        long superseded = 0;
        for (List<AnchorLine> unmatched : List.of(differing, missing)) {
            for (AnchorLine anchor : unmatched) {
                if (latestEpoch != null && anchor.time().isBefore(latestEpoch)) {
                    superseded++;
                } else {
                    broken.add(anchor);
                }
            }
        }
        String remarks = join(epochRemarks(superseded), gapRemarks());
        if (broken.isEmpty()) {
            return new TrailVerdict(new AuditVerification(true, entriesChecked, 0, "", matched, superseded,
                    lostEvents(), remarks), TrailVerdict.Cause.NONE, 0);
        }
        AnchorLine newest = broken.stream().max(Comparator.comparingLong(AnchorLine::sequence)
                .thenComparing(AnchorLine::time)).orElseThrow();
        long firstBroken = broken.stream().mapToLong(anchor -> anchor.sequence() > lastSequence ? lastSequence + 1
                : anchor.sequence()).min().orElseThrow();
        String problem = (newest.sequence() > lastSequence
                ? newest.describe() + " is no longer in the database, " + (lastSequence == 0 ? "which holds no entries"
                        : "whose newest entry is " + lastSequence)
                        + ": the database was rolled back to an older state, or its tail cut and an older head seal"
                        + " put back"
                : newest.describe() + " no longer matches the entry of that number: the chain was replaced after it"
                        + " was anchored (an older copy of the database restored and written on, or its tail"
                        + " rewritten)")
                + (broken.size() > 1 ? "; " + broken.size() + " anchors do not match the chain" : "")
                + ". If the database was restored from a backup on purpose, an administrator records that with"
                + " audit:restore-epoch";
        return new TrailVerdict(new AuditVerification(false, entriesChecked, firstBroken, problem, matched,
                superseded, lostEvents(), remarks), TrailVerdict.Cause.ANCHORS, broken.size());
    }

    private String epochRemarks(long superseded) {
        if (epochs.isEmpty()) {
            return "";
        }
        String described = epochs.stream().map(this::describeEpoch).collect(Collectors.joining(", "));
        return described + (superseded == 0 ? "" : ": " + superseded + (superseded == 1 ? " older anchor" :
                " older anchors") + " superseded");
    }

    private String describeEpoch(EntryRow epoch) {
        AnchorLine line = epochLines.get(epoch.sequence() + " " + epoch.hash());
        String reason = line == null ? "" : " (\"" + line.attributes().getOrDefault("reason", "") + "\")";
        return "restore epoch at entry " + epoch.sequence() + " of " + epoch.time() + " by " + epoch.actor() + reason;
    }

    private long lostEvents() {
        long lost = 0;
        for (AnchorFiles.FileContent file : files) {
            lost += file.lines().stream().filter(line -> line.kind() == AnchorKind.LOST).count();
        }
        return lost;
    }

    /** {@code GAPS: 3 audit events could not be recorded (configuration 1, login 2; the last at ...)}. */
    private String gapRemarks() {
        Map<LostEventSource, Long> lost = new EnumMap<>(LostEventSource.class);
        long unknown = 0;
        long accounted = 0;
        Instant last = null;
        for (AnchorFiles.FileContent file : files) {
            for (AnchorLine line : file.lines()) {
                if (line.kind() == AnchorKind.LOST) {
                    LostEventSource source = LostEventSource.fromWord(line.attributes().getOrDefault("source", ""));
                    if (source == null) {
                        unknown++;
                    } else {
                        lost.merge(source, 1L, Long::sum);
                    }
                    last = last == null || line.time().isAfter(last) ? line.time() : last;
                } else if (line.kind() == AnchorKind.GAP) {
                    accounted += line.attributes().entrySet().stream()
                            .filter(attribute -> LostEventSource.fromWord(attribute.getKey()) != null)
                            .mapToLong(attribute -> parseCount(attribute.getValue())).sum();
                }
            }
        }
        long total = lost.values().stream().mapToLong(Long::longValue).sum() + unknown;
        if (total == 0) {
            return "";
        }
        String bySource = lost.entrySet().stream().map(entry -> entry.getKey().word() + " " + entry.getValue())
                .collect(Collectors.joining(", "));
        long pending = Math.max(0, total - accounted);
        return "GAPS: " + total + (total == 1 ? " audit event" : " audit events") + " could not be recorded ("
                + bySource + (unknown > 0 ? (bySource.isEmpty() ? "" : ", ") + "other " + unknown : "")
                + "; the last at " + last + ")"
                + (pending > 0 ? ", " + pending + " not yet accounted for by an AUDIT_GAP entry" : "");
    }

    private static String join(String first, String second) {
        return first.isEmpty() ? second : second.isEmpty() ? first : first + "; " + second;
    }

    private static long parseCount(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

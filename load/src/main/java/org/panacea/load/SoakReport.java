package org.panacea.load;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A soak's figures and verdicts in Markdown: requests per kind with p50 / p99 and failures outside and inside the
 * kill window, the plugin swaps and what the swapped plugin's callers got meanwhile, the heap after a full collection
 * and resident memory minute by minute with their slopes, the read-back of every acknowledged write, the audit check.
 *
 * @param killStart ms from the start when the node was killed (-1: no kill)
 * @param killEnd   ms from the start when it served again after {@code bin/start}
 * @param loadEnd   ms from the start when the last request was answered
 */
record SoakReport(String node, SoakRun.Settings settings, List<SoakRun.Request> requests, List<SoakRun.Swap> swaps,
        List<SoakRun.Sample> samples, long killStart, long killEnd, long loadEnd, List<SoakRun.Check> checks,
        String audit, String swappedAlgorithm, List<String> notes) {

    /** A swap's callers are those whose request overlapped it or began within this long after it ended. */
    static final long SWAP_MARGIN_MILLIS = 2_000;
    /** Heap after GC growing by less than this a minute counts as flat (-Dsoak.flat.mib.per.minute). */
    static final double FLAT_MIB_PER_MINUTE = Double.parseDouble(System.getProperty("soak.flat.mib.per.minute",
            "1.0"));

    /** A JVM's heap is judged on at least this many samples. */
    static final int MIN_SAMPLES = 5;

    boolean inKillWindow(SoakRun.Request r) {
        return killStart >= 0 && r.end() >= killStart && r.start() <= killEnd;
    }

    boolean duringSwap(SoakRun.Request r) {
        return swaps.stream().anyMatch(s -> r.end() >= s.start() && r.start() <= s.end() + SWAP_MARGIN_MILLIS);
    }

    List<SoakRun.Request> failedOutsideKillWindow() {
        return requests.stream().filter(r -> !r.ok() && !inKillWindow(r)).toList();
    }

    List<SoakRun.Request> failedInsideKillWindow() {
        return requests.stream().filter(r -> !r.ok() && inKillWindow(r)).toList();
    }

    /** The swapped plugin's runs that met a swap. */
    List<SoakRun.Request> swapCallers() {
        return requests.stream().filter(r -> r.kind() == SoakRun.Kind.ALGORITHM && duringSwap(r)
                && !inKillWindow(r)).toList();
    }

    /** Answers during swaps that are not clean: a 5xx other than 503, or no answer at all. */
    List<SoakRun.Request> uncleanSwapAnswers() {
        return swapCallers().stream().filter(r -> !r.ok() && (r.status() == 0 || r.status() >= 500
                && r.status() != 503)).toList();
    }

    int lost() {
        return checks.stream().mapToInt(c -> c.lost().size()).sum();
    }

    /** One JVM's samples (the node's process before and after the kill are two). */
    Map<Long, List<SoakRun.Sample>> samplesByProcess() {
        Map<Long, List<SoakRun.Sample>> byPid = new LinkedHashMap<>();
        for (SoakRun.Sample s : samples) {
            byPid.computeIfAbsent(s.memory().pid(), pid -> new ArrayList<>()).add(s);
        }
        return byPid;
    }

    /**
     * The least-squares slope of the heap after GC, in MiB a minute, over one JVM's samples after its first (the
     * first is taken before the caches have filled and the code has been compiled); NaN with fewer than
     * {@value #MIN_SAMPLES} samples, too few to tell a trend from the warm-up and the noise.
     */
    static double heapSlope(List<SoakRun.Sample> samples) {
        return slope(samples, true);
    }

    static double residentSlope(List<SoakRun.Sample> samples) {
        return slope(samples, false);
    }

    private static double slope(List<SoakRun.Sample> samples, boolean heap) {
        List<SoakRun.Sample> used = samples.size() > 1 ? samples.subList(1, samples.size()) : samples;
        int n = used.size();
        if (n < 2 || samples.size() < MIN_SAMPLES) {
            return Double.NaN;
        }
        double sx = 0;
        double sy = 0;
        for (SoakRun.Sample s : used) {
            sx += s.at() / 60_000.0;
            sy += mib(heap ? s.memory().heapAfterGc() : s.memory().resident());
        }
        double mx = sx / n;
        double my = sy / n;
        double sxy = 0;
        double sxx = 0;
        for (SoakRun.Sample s : used) {
            double x = s.at() / 60_000.0 - mx;
            sxy += x * (mib(heap ? s.memory().heapAfterGc() : s.memory().resident()) - my);
            sxx += x * x;
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    /** Flat: every JVM with enough samples grows its heap after GC by less than the limit a minute. */
    boolean heapFlat() {
        return samplesByProcess().values().stream().map(SoakReport::heapSlope).filter(s -> !s.isNaN())
                .allMatch(s -> s < FLAT_MIB_PER_MINUTE);
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    String markdown(Instant started, String loadBefore, String loadAfter) {
        StringBuilder md = new StringBuilder();
        md.append("# Soak\n\n");
        md.append(node).append(", ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(", ")
                .append(settings.duration().toMinutes()).append(" min of load (").append(loadEnd / 1000)
                .append(" s), ").append(settings.clients()).append(" client threads, a plugin swap every ")
                .append(settings.swapEvery().toSeconds()).append(" s, heap sampled every ")
                .append(settings.sampleEvery().toSeconds()).append(" s. Load average before ").append(loadBefore)
                .append(", after ").append(loadAfter).append(". Machine: ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs, Java ")
                .append(System.getProperty("java.version")).append(".\n\n");

        md.append("## Verdict\n\n");
        int outside = failedOutsideKillWindow().size();
        md.append("- failed requests outside the kill window: **").append(outside).append("**")
                .append(outside == 0 ? " (goal: 0, met)" : " (goal: 0, NOT met)").append('\n');
        md.append("- acknowledged writes lost: **").append(lost()).append("** of ")
                .append(checks.stream().mapToInt(SoakRun.Check::acknowledged).sum())
                .append(lost() == 0 ? " (goal: 0, met)" : " (goal: 0, NOT met)").append('\n');
        boolean judged = samplesByProcess().values().stream().anyMatch(of -> !Double.isNaN(heapSlope(of)));
        md.append("- heap after GC: **").append(!judged ? "not judged" : heapFlat() ? "flat" : "NOT flat")
                .append("** (").append(judged ? "" : "fewer than " + MIN_SAMPLES + " samples in each JVM; ")
                .append("slope under ")
                .append(fmt(FLAT_MIB_PER_MINUTE)).append(" MiB/min in every JVM; see below)\n");
        List<SoakRun.Request> unclean = uncleanSwapAnswers();
        md.append("- ").append(swapCallers().size()).append(" runs of ").append(swappedAlgorithm)
                .append(" met a swap; answers other than 200 or a clean 503: **").append(unclean.size())
                .append("**\n");
        md.append("- `audit:verify` after the run: `").append(audit).append("`\n");
        if (killStart >= 0) {
            md.append("- kill -9 at ").append(killStart / 1000).append(" s, serving again after bin/start at ")
                    .append(killEnd / 1000).append(" s (outage ").append(fmt((killEnd - killStart) / 1000.0))
                    .append(" s); ").append(failedInsideKillWindow().size())
                    .append(" requests failed in that window\n");
        }
        notes.forEach(n -> md.append("- ").append(n).append('\n'));

        md.append("\n## Requests\n\n");
        md.append("p50 / p99 over every request outside the kill window, ms.\n\n");
        md.append("| kind | requests | succeeded | failed outside kill window | failed inside | per s "
                + "| p50 / p99 ms |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (SoakRun.Kind kind : SoakRun.Kind.values()) {
            List<SoakRun.Request> of = requests.stream().filter(r -> r.kind() == kind).toList();
            long[] ms = of.stream().filter(r -> !inKillWindow(r)).mapToLong(SoakRun.Request::millis).sorted()
                    .toArray();
            md.append("| ").append(kind.label).append(" | ").append(of.size()).append(" | ")
                    .append(of.stream().filter(SoakRun.Request::ok).count()).append(" | ")
                    .append(of.stream().filter(r -> !r.ok() && !inKillWindow(r)).count()).append(" | ")
                    .append(of.stream().filter(r -> !r.ok() && inKillWindow(r)).count()).append(" | ")
                    .append(fmt(of.size() * 1000.0 / Math.max(1, loadEnd))).append(" | ")
                    .append(percentile(ms, 50)).append(" / ").append(percentile(ms, 99)).append(" |\n");
        }
        md.append("| all | ").append(requests.size()).append(" | ")
                .append(requests.stream().filter(SoakRun.Request::ok).count()).append(" | ").append(outside)
                .append(" | ").append(failedInsideKillWindow().size()).append(" | ")
                .append(fmt(requests.size() * 1000.0 / Math.max(1, loadEnd))).append(" | |\n");
        failures("Failures outside the kill window", failedOutsideKillWindow(), md);
        failures("Failures inside the kill window", failedInsideKillWindow(), md);

        md.append("\n## Plugin swaps\n\n");
        long failedSwaps = swaps.stream().filter(s -> s.error() != null).count();
        long[] swapMs = swaps.stream().mapToLong(s -> s.end() - s.start()).sorted().toArray();
        md.append(swaps.size()).append(" swaps (").append(failedSwaps).append(" failed), each taking ")
                .append(percentile(swapMs, 50)).append(" ms (median), ")
                .append(swapMs.length == 0 ? 0 : swapMs[swapMs.length - 1]).append(" ms at most, console included. ")
                .append("Commands: ").append(String.join("; ", swaps.stream().map(SoakRun.Swap::command)
                        .distinct().limit(2).toList())).append(".\n");
        swaps.stream().filter(s -> s.error() != null).limit(5).forEach(s -> md.append("- at ")
                .append(s.start() / 1000).append(" s: ").append(s.error()).append('\n'));
        Map<Integer, Long> statuses = new TreeMap<>();
        swapCallers().forEach(r -> statuses.merge(r.status(), 1L, Long::sum));
        long[] swapCallerMs = swapCallers().stream().mapToLong(SoakRun.Request::millis).sorted().toArray();
        md.append("\nRuns of ").append(swappedAlgorithm).append(" that overlapped a swap (or began within ")
                .append(SWAP_MARGIN_MILLIS / 1000).append(" s after it): ").append(swapCallers().size())
                .append(", answered ").append(statuses).append(" (status: count; 0 = no answer), p50 / p99 ")
                .append(percentile(swapCallerMs, 50)).append(" / ").append(percentile(swapCallerMs, 99))
                .append(" ms.\n");

        md.append("\n## Memory\n\n");
        md.append("Heap after a full collection (the live bytes of `jcmd PID GC.class_histogram`, which collects "
                + "first) and resident memory"
                + " (`VmRSS`), MiB.\n\n");
        md.append("| at, min | JVM (pid) | heap after GC | resident | load average |\n|---|---|---|---|---|\n");
        for (SoakRun.Sample s : samples) {
            md.append("| ").append(fmt(s.at() / 60_000.0)).append(" | ").append(s.memory().pid()).append(" | ")
                    .append(fmt(mib(s.memory().heapAfterGc()))).append(" | ").append(fmt(mib(s.memory().resident())))
                    .append(" | ").append(s.load()).append(" |\n");
        }
        md.append("\nSlopes (least squares over each JVM's samples after its first), MiB per minute:\n\n");
        md.append("| JVM (pid) | samples | heap after GC, first → last | heap slope | resident, first → last "
                + "| resident slope |\n");
        md.append("|---|---|---|---|---|---|\n");
        samplesByProcess().forEach((pid, of) -> md.append("| ").append(pid).append(" | ").append(of.size())
                .append(" | ").append(fmt(mib(of.get(0).memory().heapAfterGc()))).append(" → ")
                .append(fmt(mib(of.get(of.size() - 1).memory().heapAfterGc()))).append(" | ")
                .append(fmt(heapSlope(of))).append(" | ").append(fmt(mib(of.get(0).memory().resident())))
                .append(" → ").append(fmt(mib(of.get(of.size() - 1).memory().resident()))).append(" | ")
                .append(fmt(residentSlope(of))).append(" |\n"));

        md.append("\n## Acknowledged writes read back\n\n| write | acknowledged | not read back |\n|---|---|---|\n");
        for (SoakRun.Check c : checks) {
            md.append("| ").append(c.what()).append(" | ").append(c.acknowledged()).append(" | ")
                    .append(c.lost().size()).append(" |\n");
        }
        checks.stream().flatMap(c -> c.lost().stream().limit(5).map(l -> c.what() + ": " + l))
                .forEach(l -> md.append("- ").append(l).append('\n'));
        return md.toString();
    }

    private static void failures(String title, List<SoakRun.Request> failed, StringBuilder md) {
        if (failed.isEmpty()) {
            return;
        }
        Map<String, List<SoakRun.Request>> byKindAndStatus = new TreeMap<>();
        failed.forEach(r -> byKindAndStatus.computeIfAbsent(r.kind() + " " + r.status(), k -> new ArrayList<>())
                .add(r));
        md.append("\n").append(title).append(" (kind, HTTP status (0: no answer), count, first at, first reason):\n\n");
        byKindAndStatus.forEach((key, of) -> md.append("- ").append(key).append(": ").append(of.size())
                .append(", first at ").append(of.get(0).start() / 1000).append(" s: ")
                .append(of.get(0).failure()).append('\n'));
    }

    static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    static String fmt(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%.1f", value);
    }

    @Override
    public String toString() {
        return "SoakReport" + Arrays.asList(node, requests.size(), swaps.size(), samples.size());
    }
}

package org.panacea.load;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report: one Markdown table with a row per work and client count, Panacea beside its peer (HAPI FHIR for FHIR,
 * Orthanc for DICOMweb) and the ratio of their rates; and the same figures as CSV.
 */
final class Report {

    private final List<Measurement> measurements;
    private final List<String> notes;
    private final List<String> servers;
    private final List<String> memories;
    private final LoadRun.Settings settings;
    private final Instant started;
    private final Duration took;
    private final String loadBefore;
    private final String loadAfter;
    private final String machine;

    Report(List<Measurement> measurements, List<String> notes, List<String> servers, List<String> memories,
            LoadRun.Settings settings, Instant started, Duration took, String loadBefore, String loadAfter,
            String machine) {
        this.measurements = measurements;
        this.notes = notes;
        this.servers = servers;
        this.memories = memories;
        this.settings = settings;
        this.started = started;
        this.took = took;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.machine = machine;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Panacea under HTTP load\n\n");
        md.append("Run ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" for ")
                .append(took.toMinutes()).append(" min on ").append(machine).append("; load average ")
                .append(loadBefore).append(" before, ").append(loadAfter).append(" after. Servers, one at a time: ")
                .append(String.join("; ", servers)).append(".\n\n");
        md.append("Each client is a thread that sends its next request when the last is answered (JMH, sample time, ")
                .append("JDK HttpClient, HTTP/1.1 keep-alive, Basic credentials on every request). Per point: ")
                .append(settings.warmup().getTime() > 0 ? settings.warmup() + " warm-up, " : "no warm-up, ")
                .append(settings.iterations()).append(" x ").append(settings.time())
                .append(" measured. Rates are clients / mean latency (each client is always waiting for an ")
                .append("answer); p50 and p99 latency in ms.\n\n");
        md.append("| work | clients | Panacea | p50 / p99 ms | peer | peer p50 / p99 ms | Panacea / peer |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Workload workload : Workload.values()) {
            for (int clients : settings.clients()) {
                Optional<Measurement> panacea = find("panacea", workload, clients);
                Optional<Measurement> peer = find(workload.fhir ? "hapi" : "orthanc", workload, clients);
                if (panacea.isEmpty() && peer.isEmpty()) {
                    continue;
                }
                md.append("| ").append(workload.title).append(", ").append(workload.unit).append(" | ")
                        .append(clients).append(" | ")
                        .append(panacea.map(Report::rate).orElse("—")).append(" | ")
                        .append(panacea.map(Report::latency).orElse("—")).append(" | ")
                        .append(peer.map(Report::rate).orElse("—")).append(" | ")
                        .append(peer.map(Report::latency).orElse("—")).append(" | ")
                        .append(ratio(panacea, peer)).append(" |\n");
            }
        }
        md.append("\nPeers: HAPI FHIR for FHIR, Orthanc for DICOMweb. MB is 10^6 bytes of multipart body received.\n");
        if (!memories.isEmpty()) {
            md.append("\nResident memory of each server after its load (Linux VmRSS, peak VmHWM), measured as it ")
                    .append("stood, before its stop:\n\n");
            memories.forEach(m -> md.append("- ").append(m).append('\n'));
        }
        List<String> failures = measurements.stream().filter(m -> m.failure() != null)
                .map(m -> "- " + m.server() + ", " + m.workload().title + ", " + m.clients() + " clients: "
                        + (m.measured() ? m.failed() + " of " + m.requests() + " requests failed, the first: " : "")
                        + m.failure())
                .toList();
        if (!notes.isEmpty() || !failures.isEmpty()) {
            md.append("\nNotes:\n\n");
            notes.forEach(n -> md.append("- ").append(n.replace("\n", " ")).append('\n'));
            failures.forEach(f -> md.append(f.replace("\n", " ")).append('\n'));
        }
        return md.toString();
    }

    String csv() {
        StringBuilder csv = new StringBuilder(
                "server,work,unit,clients,requests_per_s,units_per_s,p50_ms,p99_ms,requests,failed,failure\n");
        for (Measurement m : measurements) {
            csv.append(m.server()).append(',').append(m.workload().name().toLowerCase(Locale.ROOT)).append(',')
                    .append(m.workload().unit).append(',').append(m.clients()).append(',')
                    .append(number(m.requestsPerSecond())).append(',').append(number(m.unitsPerSecond())).append(',')
                    .append(number(m.p50())).append(',').append(number(m.p99())).append(',')
                    .append(m.requests()).append(',').append(m.failed()).append(',')
                    .append(m.failure() == null ? "" : '"' + m.failure().replace("\"", "'").replace("\n", " ") + '"')
                    .append('\n');
        }
        return csv.toString();
    }

    /** One line for the console as each point ends. */
    static String line(Measurement m) {
        return m.server() + " " + m.workload().title + ", " + m.clients() + " clients: "
                + (m.measured() ? rate(m) + " " + m.workload().unit + ", p50/p99 " + latency(m) + " ms"
                        + (m.failed() > 0 ? ", " + m.failed() + " failed" : "")
                        : "not measured: " + m.failure());
    }

    private Optional<Measurement> find(String server, Workload workload, int clients) {
        // Panacea is "panacea", or "panacea-2-nodes" when several nodes were measured.
        return measurements.stream().filter(m -> (m.server().equals(server) || m.server().startsWith(server + "-"))
                && m.workload() == workload && m.clients() == clients).findFirst();
    }

    private static String rate(Measurement m) {
        if (!m.measured()) {
            return "failed";
        }
        String rate = significant(m.unitsPerSecond());
        return m.failed() > 0 ? rate + " (" + m.failed() + " failed)" : rate;
    }

    private static String latency(Measurement m) {
        return m.measured() ? significant(m.p50()) + " / " + significant(m.p99()) : "—";
    }

    private static String ratio(Optional<Measurement> panacea, Optional<Measurement> peer) {
        if (panacea.isEmpty() || peer.isEmpty() || !panacea.get().measured() || !peer.get().measured()
                || peer.get().unitsPerSecond() == 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.2f", panacea.get().unitsPerSecond() / peer.get().unitsPerSecond());
    }

    /** Three significant digits, thousands grouped: 12,300 / 123 / 12.3 / 1.23 / 0.123. */
    static String significant(double value) {
        if (Double.isNaN(value)) {
            return "—";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 100) {
            double rounded = Math.round(value / Math.pow(10, Math.floor(Math.log10(magnitude)) - 2))
                    * Math.pow(10, Math.floor(Math.log10(magnitude)) - 2);
            return String.format(Locale.ROOT, "%,.0f", rounded);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (magnitude >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.4f", value);
    }
}

package org.panacea.alerts.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.panacea.alerts.rules.BreakGlassRule;
import org.panacea.alerts.rules.BulkAccessRule;
import org.panacea.alerts.rules.BulkExportRule;
import org.panacea.alerts.rules.EntryRule;
import org.panacea.alerts.rules.Finding;
import org.panacea.alerts.rules.FlaggedChartRule;
import org.panacea.alerts.rules.FlaggedCharts;
import org.panacea.alerts.rules.RepeatedDenialsRule;
import org.panacea.alerts.rules.ThrottledLoginRule;
import org.panacea.alerts.rules.VerificationRule;
import org.panacea.alerts.rules.WorkingHours;
import org.panacea.alerts.rules.WorkingHoursRule;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.records.PatientSecurityLabels;

/**
 * The rules {@link AlertsConfig} turns on, fed every entry in turn, and how far back their state reaches
 * ({@link #memory()}). Not thread-safe: one thread feeds it (the {@link TrailEvaluator}'s).
 */
final class RuleSet {

    private final List<EntryRule> rules;
    private final VerificationRule verification;
    private final Duration memory;

    /** Rules whose flagged charts are the listed ones only (no record to read labels from). */
    RuleSet(AlertsConfig config) {
        this(config, null);
    }

    /**
     * @param labels where the flagged-chart rule reads Patients' security labels; {@code null}: labels flag nothing
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    RuleSet(AlertsConfig config, PatientSecurityLabels labels) {
        List<EntryRule> on = new ArrayList<>();
        List<Duration> windows = new ArrayList<>();
        if (config.bulk_access_threshold() > 0) {
            Duration window = minutes("bulk.access.window.minutes", config.bulk_access_window_minutes());
            on.add(new BulkAccessRule(config.bulk_access_threshold(), window));
            windows.add(window);
        }
        Duration quiet = minutes("quiet.minutes", config.quiet_minutes());
        if (config.break_glass_enabled()) {
            on.add(new BreakGlassRule(quiet));
            windows.add(quiet);
        }
        if (config.denials_threshold() > 0) {
            Duration window = minutes("denials.window.minutes", config.denials_window_minutes());
            on.add(new RepeatedDenialsRule(config.denials_threshold(), window));
            windows.add(window);
        }
        if (config.failed_logins_enabled()) {
            on.add(new ThrottledLoginRule());
        }
        FlaggedCharts flagged = flaggedCharts(config, labels);
        if (!flagged.isEmpty()) {
            on.add(new FlaggedChartRule(flagged, quiet));
            windows.add(quiet);
        }
        WorkingHours hours = WorkingHours.parse(config.working_hours());
        if (!hours.isEmpty()) {
            on.add(new WorkingHoursRule(hours, zone(config.working_hours_zone()), quiet));
            windows.add(quiet);
        }
        if (config.export_threshold() > 0) {
            Duration window = minutes("export.window.minutes", config.export_window_minutes());
            on.add(new BulkExportRule(config.export_threshold(), window));
            windows.add(window);
        }
        this.rules = List.copyOf(on);
        this.memory = windows.stream().max(Duration::compareTo).orElse(Duration.ZERO);
        this.verification = config.verify_enabled() ? new VerificationRule() : null;
    }

    private static FlaggedCharts flaggedCharts(AlertsConfig config, PatientSecurityLabels labels) {
        Set<String> listed = Arrays.stream(config.flagged_patients().split(",")).map(String::strip)
                .filter(id -> !id.isEmpty()).collect(Collectors.toSet());
        List<String> flaggingLabels = labels == null ? List.of() : Arrays.stream(config.flagged_labels().split(","))
                .map(String::strip).filter(label -> !label.isEmpty()).toList();
        for (String label : flaggingLabels) {
            int bar = label.indexOf('|');
            if (bar <= 0 || bar == label.length() - 1) {
                throw new IllegalArgumentException("flagged.labels: '" + label + "' is not system|code, e.g. "
                        + "http://terminology.hl7.org/CodeSystem/v3-ActCode|EMP");
            }
        }
        if (config.flagged_labels_cache_seconds() < 0) {
            throw new IllegalArgumentException("flagged.labels.cache.seconds must be 0 or more, not "
                    + config.flagged_labels_cache_seconds());
        }
        return new FlaggedCharts(listed, flaggingLabels, labels,
                Duration.ofSeconds(config.flagged_labels_cache_seconds()), Clock.systemUTC());
    }

    List<Finding> evaluate(AuditEntry entry) {
        List<Finding> findings = new ArrayList<>(1);
        for (EntryRule rule : rules) {
            rule.evaluate(entry).ifPresent(findings::add);
        }
        return findings;
    }

    /**
     * The longest window or quiet period of the rules turned on: the entries a rule may still count. A node taking
     * over the evaluation replays this much of the trail before its cursor, without raising, to know what they knew.
     */
    Duration memory() {
        return memory;
    }

    /** The rule over verifications, or {@code null} when turned off. */
    VerificationRule verificationRule() {
        return verification;
    }

    int size() {
        return rules.size() + (verification == null ? 0 : 1);
    }

    private static Duration minutes(String setting, int minutes) {
        if (minutes < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1, was " + minutes);
        }
        return Duration.ofMinutes(minutes);
    }

    private static ZoneId zone(String setting) {
        if (setting.isBlank()) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(setting.strip());
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("working.hours.zone: unknown time zone '" + setting + "'", e);
        }
    }
}

package org.panacea.analysis.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.records.SearchResult;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Survival of the patients who have a condition, from the record: follow-up from the condition's onset (the
 * earliest onset, else recorded date, of the patient's matching Conditions; refuted and entered-in-error ones do not
 * count) to death ({@code Patient.deceasedDateTime}), censored today. Patients with an active research opt-out
 * (a Consent with scope {@code research} and provision {@code deny}) are left out and counted.
 * <p>
 * The caller must hold {@link Operation#READ_AGGREGATE}; the record is then read by the platform itself
 * ({@code system:analysis}, issued by {@link CallerAuthentication#internal} with the clinician's role, which may read
 * charts), so researchers, who may not, can still get aggregates. Nobody gets patient ids or rows. The aggregate read
 * is written to the audit trail, under the caller's name, before the result is returned (the platform's reads are
 * audited per patient by the record itself). Thread-safe.
 * <p>
 * Callers who may not read patients themselves get {@link Disclosure#AGGREGATE_ONLY} results, built so that no group
 * smaller than its minimum size can be counted from an answer, nor from answers about the same condition set against
 * each other (answers about different, overlapping codes are not compared):
 * <ul>
 * <li>the cohort is cut to <em>cells</em> of at least that many: patients are classed by sex (each
 * {@code Patient.gender} value, or none) and by whether their age is known, and the patients of a smaller class are
 * left out of every number (counted as {@code smallGroups}). The cells are the same whatever the request's grouping
 * and covariates, so every request about a condition analyses the same patients, and each group, each covariate's
 * complete cases and each count of missing values is a sum of cells that pass;</li>
 * <li>counts of fewer are shown as {@code "<5"}, and the number of patients with the condition is withheld when it,
 * less the counts shown, would give the total of those hidden;</li>
 * <li>the condition is one code: codes joined by commas (any of them) are refused, since the answer for several
 * codes less the answer for fewer would describe the patients only the others add, however few.</li>
 * </ul>
 */
@Component(service = CohortSurvival.class)
public class CohortSurvival {

    /** Who reads the record for an analysis: {@code system:analysis} in the audit trail. */
    static final String READER = "analysis";

    private static final int PAGE = 1000;
    /** Patients named in one search: short enough for any database's IN list. */
    private static final int IDS_PER_SEARCH = 200;

    private final PatientRecords records;
    private final AccessPolicy policy;
    private final AuditTrail audit;
    private final CallerAuthentication authentication;
    private final Clock clock;

    @Activate
    public CohortSurvival(@Reference PatientRecords records, @Reference AccessPolicy policy,
            @Reference AuditTrail audit, @Reference CallerAuthentication authentication) {
        this(records, policy, audit, authentication, Clock.systemUTC());
    }

    public CohortSurvival(PatientRecords records, AccessPolicy policy, AuditTrail audit,
            CallerAuthentication authentication, Clock clock) {
        this.records = records;
        this.policy = policy;
        this.audit = audit;
        this.authentication = authentication;
        this.clock = clock;
    }

    /** Patients left out of the analysis and why; what is left in. */
    private static final class Counts {
        int conditionRecords;
        int patientsWithCondition;
        int researchOptOut;
        int noOnsetDate;
        int patientNotFound;
        int deathDateUnknown;
        int deathBeforeOnset;
        int onsetAfterToday;
        /** Left out for an aggregate-only caller: in a cell (sex, age known) of fewer than the minimum. */
        int smallGroups;

        int[] excluded() {
            return new int[] { researchOptOut, noOnsetDate, patientNotFound, deathDateUnknown, deathBeforeOnset,
                onsetAfterToday, smallGroups };
        }
    }

    /** One patient ready for analysis: follow-up, covariates, and the disclosure cell. */
    private record Subject(double time, boolean dead, String gender, boolean ageKnown, double[] covariates) {

        String cell() {
            return gender + (ageKnown ? "|age" : "|no age");
        }
    }

    /**
     * @throws AccessDeniedException    when the caller may not read aggregate data, or names several codes and may
     *                                  not read charts; nothing is read then
     * @throws IllegalArgumentException when the request cannot be answered
     * @throws org.panacea.api.audit.AuditException           when the aggregate read cannot be audited; nothing is
     *                                                        returned then
     */
    public ObjectNode analyse(Caller caller, CohortRequest request) {
        policy.require(caller, Operation.READ_AGGREGATE, "Patient");
        Disclosure disclosure = policy.decide(caller, Operation.READ, "Patient").allowed() ? Disclosure.FULL
                : Disclosure.AGGREGATE_ONLY;
        if (!disclosure.showsEverything() && request.codes().size() > 1) {
            refuse(caller, "READ_AGGREGATE: a cohort for callers who may not read charts is one Condition code, not "
                    + request.codes().size() + " joined by commas: the answer for several codes less the answer for "
                    + "fewer would describe the patients only the others add, however few. Ask for one code at a time");
        }
        Caller reader = authentication.internal(READER, Set.of(Role.CLINICIAN));
        LocalDate today = LocalDate.now(clock);
        Counts counts = new Counts();

        Map<String, LocalDate> onsets = onsets(reader, String.join(",", request.codes()), counts);
        Set<String> optedOut = researchOptOuts(reader, onsets.keySet());
        counts.researchOptOut = optedOut.size();
        List<String> included = new ArrayList<>();
        for (String patient : onsets.keySet()) {
            if (optedOut.contains(patient)) {
                continue;
            }
            if (onsets.get(patient) == null) {
                counts.noOnsetDate++;
            } else {
                included.add(patient);
            }
        }
        Map<String, JsonNode> patients = new HashMap<>();
        forEachChunk(included, chunk -> page(reader, new SearchQuery("Patient",
                Map.of("_id", String.join(",", chunk)), PAGE, 0), patient -> patients.put(patient.path("id").asText(),
                        patient)));

        SurvivalData data = followUp(request, included, onsets, patients, today, counts, disclosure);
        if (data.subjects() == 0) {
            throw new IllegalArgumentException("no patient with Condition " + request.condition() + " can be analysed"
                    + (disclosure.showsEverything() ? ": " + counts.patientsWithCondition + " have it, and each opted "
                            + "out of research or lacks a dated onset or a consistent death date"
                            : ": none is in a group of at least " + disclosure.minimumGroupSize()
                                    + " patients (by sex, and whether the age is known)"));
        }
        SurvivalResult result = SurvivalAnalysis.run(data, request.ties(), disclosure, false);

        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode cohort = root.putObject("cohort");
        cohort.put("condition", request.condition());
        cohort.put("event", CohortRequest.DEATH);
        cohort.put("followUp", "days from the condition's onset to death (Patient.deceasedDateTime), censored on "
                + today);
        long hidden = 0;
        for (int n : counts.excluded()) {
            hidden += disclosure.hides(n) ? n : 0;
        }
        if (disclosure.hides(hidden)) {
            // The total less what is shown would be the sum of the hidden counts, itself too small to show.
            cohort.put("patientsWithCondition", "withheld");
            cohort.put("withheld", "the number of patients with the condition, less those shown, would count the "
                    + "excluded patients hidden as fewer than " + disclosure.minimumGroupSize());
        } else {
            Json.count(cohort, "patientsWithCondition", counts.patientsWithCondition, disclosure);
        }
        ObjectNode excluded = cohort.putObject("excluded");
        Json.count(excluded, "researchOptOut", counts.researchOptOut, disclosure);
        Json.count(excluded, "noOnsetDate", counts.noOnsetDate, disclosure);
        Json.count(excluded, "patientNotFound", counts.patientNotFound, disclosure);
        Json.count(excluded, "deathDateUnknown", counts.deathDateUnknown, disclosure);
        Json.count(excluded, "deathBeforeOnset", counts.deathBeforeOnset, disclosure);
        Json.count(excluded, "onsetAfterToday", counts.onsetAfterToday, disclosure);
        Json.count(excluded, "smallGroups", counts.smallGroups, disclosure);
        Json.count(cohort, "analysed", data.subjects(), disclosure);
        if (!request.covariates().isEmpty()) {
            ObjectNode coding = cohort.putObject("covariates");
            if (request.covariates().contains("age")) {
                coding.put("age", "years at the condition's onset");
            }
            if (request.covariates().contains("sex")) {
                coding.put("sex", "1 female, 0 male (other genders count as missing)");
            }
        }
        cohort.put("aggregateOnly", !disclosure.showsEverything());
        if (!disclosure.showsEverything()) {
            cohort.put("minimumGroupSize", disclosure.minimumGroupSize());
            cohort.put("smallGroups", "patients are classed by sex and by whether their age is known; the patients "
                    + "of a class of fewer than " + disclosure.minimumGroupSize() + " are left out of every number");
        }
        root.setAll(SurvivalReport.json(result, request.curve()));

        audit.record(new AuditEvent(caller.name(), caller.primaryRole(), AuditAction.READ, "Patient", "", "",
                AuditOutcome.SUCCESS, caller.clientAddress(), "READ_AGGREGATE: cohort survival analysis of Condition "
                        + request.condition() + " (group " + request.group() + ", covariates " + request.covariates()
                        + "): " + counts.patientsWithCondition + " patients with the condition, "
                        + counts.researchOptOut + " research opt-outs excluded, " + data.subjects() + " analysed"
                        + (disclosure.showsEverything() ? "" : ", aggregates of at least "
                                + disclosure.minimumGroupSize() + " (" + counts.smallGroups
                                + " in smaller groups left out)")));
        return root;
    }

    /** Writes the denial to the audit trail, then throws it. */
    private void refuse(Caller caller, String reason) {
        audit.record(new AuditEvent(caller.name(), caller.primaryRole(), AuditAction.ACCESS_DENIED, "Patient", "", "",
                AuditOutcome.DENIED, caller.clientAddress(), reason));
        throw new AccessDeniedException(AccessDecision.deny(reason));
    }

    /** Each patient with the condition and its onset, {@code null} when no matching Condition is dated. */
    private Map<String, LocalDate> onsets(Caller reader, String codes, Counts counts) {
        Map<String, LocalDate> onsets = new TreeMap<>();
        page(reader, new SearchQuery("Condition", Map.of("code", codes), PAGE, 0), resource -> {
            counts.conditionRecords++;
            String verification = code(resource.path("verificationStatus"));
            if (verification.equals("refuted") || verification.equals("entered-in-error")) {
                return;
            }
            String patient = patientId(resource.path("subject").path("reference").asText(""));
            if (patient == null) {
                return;
            }
            LocalDate onset = date(resource.path("onsetDateTime"));
            if (onset == null) {
                onset = date(resource.path("onsetPeriod").path("start"));
            }
            if (onset == null) {
                onset = date(resource.path("recordedDate"));
            }
            LocalDate known = onsets.get(patient);
            if (!onsets.containsKey(patient) || (onset != null && (known == null || onset.isBefore(known)))) {
                onsets.put(patient, onset);
            }
        });
        counts.patientsWithCondition = onsets.size();
        return onsets;
    }

    /** The patients among {@code patients} with an active Consent that denies research use of their data. */
    private Set<String> researchOptOuts(Caller reader, Set<String> patients) {
        Set<String> optedOut = new HashSet<>();
        forEachChunk(new ArrayList<>(patients), chunk -> page(reader, new SearchQuery("Consent",
                Map.of("patient", String.join(",", chunk), "status", "active"), PAGE, 0), consent -> {
                    boolean research = false;
                    for (JsonNode coding : consent.path("scope").path("coding")) {
                        research |= coding.path("code").asText().equals("research");
                    }
                    if (research && consent.path("provision").path("type").asText().equals("deny")) {
                        String patient = patientId(consent.path("patient").path("reference").asText(""));
                        if (patient != null) {
                            optedOut.add(patient);
                        }
                    }
                }));
        optedOut.retainAll(patients);
        return optedOut;
    }

    /**
     * The included patients' follow-up; for an aggregate-only caller, without the patients of a cell (sex, age known)
     * of fewer than the minimum group size.
     */
    private SurvivalData followUp(CohortRequest request, List<String> included, Map<String, LocalDate> onsets,
            Map<String, JsonNode> patients, LocalDate today, Counts counts, Disclosure disclosure) {
        List<Subject> subjects = new ArrayList<>();
        for (String id : included) {
            JsonNode patient = patients.get(id);
            if (patient == null) {
                counts.patientNotFound++;
                continue;
            }
            LocalDate onset = onsets.get(id);
            if (onset.isAfter(today)) {
                counts.onsetAfterToday++;
                continue;
            }
            LocalDate death = date(patient.path("deceasedDateTime"));
            boolean dead = death != null || patient.path("deceasedBoolean").asBoolean(false)
                    || patient.path("deceasedDateTime").isTextual();
            if (dead && death == null) {
                counts.deathDateUnknown++;
                continue;
            }
            if (dead && death.isBefore(onset)) {
                counts.deathBeforeOnset++;
                continue;
            }
            String gender = patient.path("gender").asText("");
            LocalDate birth = date(patient.path("birthDate"));
            double[] covariates = new double[request.covariates().size()];
            for (int j = 0; j < covariates.length; j++) {
                covariates[j] = switch (request.covariates().get(j)) {
                    case "age" -> birth == null ? Double.NaN : Period.between(birth, onset).getYears();
                    case "sex" -> gender.equals("female") ? 1 : gender.equals("male") ? 0 : Double.NaN;
                    default -> throw new IllegalStateException("unknown covariate " + request.covariates().get(j));
                };
            }
            subjects.add(new Subject(ChronoUnit.DAYS.between(onset, dead ? death : today), dead, gender,
                    birth != null, covariates));
        }
        if (!disclosure.showsEverything()) {
            Map<String, Integer> cells = new HashMap<>();
            subjects.forEach(subject -> cells.merge(subject.cell(), 1, Integer::sum));
            List<Subject> shown = subjects.stream().filter(subject -> !disclosure.hides(cells.get(subject.cell())))
                    .toList();
            counts.smallGroups = subjects.size() - shown.size();
            subjects = shown;
        }
        int n = subjects.size();
        double[] time = new double[n];
        boolean[] event = new boolean[n];
        String[] groups = new String[n];
        double[][] covariates = new double[n][];
        for (int i = 0; i < n; i++) {
            Subject subject = subjects.get(i);
            time[i] = subject.time();
            event[i] = subject.dead();
            groups[i] = subject.gender().isEmpty() ? null : subject.gender();
            covariates[i] = subject.covariates();
        }
        return new SurvivalData(time, event, request.group() == null ? null : groups, request.group(),
                request.covariates(), covariates, n, 0);
    }

    /** Every resource a search matches, page by page, as read by the platform. */
    private void page(Caller reader, SearchQuery first, Consumer<JsonNode> each) {
        int offset = 0;
        while (true) {
            SearchResult result = records.search(reader, new SearchQuery(first.resourceType(), first.parameters(),
                    first.count(), offset));
            for (StoredResource resource : result.matches()) {
                each.accept(parse(resource));
            }
            offset += result.matches().size();
            if (result.matches().isEmpty() || offset >= result.total()) {
                return;
            }
        }
    }

    private static void forEachChunk(List<String> ids, Consumer<List<String>> each) {
        for (int from = 0; from < ids.size(); from += IDS_PER_SEARCH) {
            each.accept(ids.subList(from, Math.min(ids.size(), from + IDS_PER_SEARCH)));
        }
    }

    private static JsonNode parse(StoredResource resource) {
        try {
            return Json.MAPPER.readTree(resource.json());
        } catch (IOException e) {
            throw new UncheckedIOException("stored " + resource.resourceType() + " is not JSON", e);
        }
    }

    private static String patientId(String reference) {
        if (!reference.startsWith("Patient/")) {
            return null;
        }
        String id = reference.substring("Patient/".length());
        int history = id.indexOf('/');
        return history < 0 ? id : id.substring(0, history);
    }

    private static String code(JsonNode concept) {
        for (JsonNode coding : concept.path("coding")) {
            return coding.path("code").asText("");
        }
        return "";
    }

    /** The calendar date of a FHIR date or dateTime; {@code null} when absent or less precise than a day. */
    private static LocalDate date(JsonNode value) {
        String text = value.asText("");
        if (text.length() < 10) {
            return null;
        }
        try {
            return LocalDate.parse(text.substring(0, 10));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

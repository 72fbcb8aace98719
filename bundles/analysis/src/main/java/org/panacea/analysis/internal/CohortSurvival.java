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
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
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
 * The caller must hold {@link Operation#READ_AGGREGATE}; the record is then read as the platform
 * ({@code system:analysis}, which may read charts), so researchers, who may not, can still get aggregates. Callers who
 * may not read patients themselves get {@link Disclosure#AGGREGATE_ONLY} results; nobody gets patient ids or rows.
 * The aggregate read is written to the audit trail, under the caller's name, before the result is returned (the
 * platform's reads are audited per patient by the record itself). Thread-safe.
 */
@Component(service = CohortSurvival.class)
public class CohortSurvival {

    /** Who reads the record for an analysis, in the audit trail. */
    static final Caller READER = new Caller("system:analysis", Set.of(Role.CLINICIAN), "internal");

    private static final int PAGE = 1000;
    /** Patients named in one search: short enough for any database's IN list. */
    private static final int IDS_PER_SEARCH = 200;

    private final PatientRecords records;
    private final AccessPolicy policy;
    private final AuditTrail audit;
    private final Clock clock;

    @Activate
    public CohortSurvival(@Reference PatientRecords records, @Reference AccessPolicy policy,
            @Reference AuditTrail audit) {
        this(records, policy, audit, Clock.systemUTC());
    }

    public CohortSurvival(PatientRecords records, AccessPolicy policy, AuditTrail audit, Clock clock) {
        this.records = records;
        this.policy = policy;
        this.audit = audit;
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
    }

    /**
     * @throws org.panacea.api.security.AccessDeniedException when the caller may not read aggregate data
     * @throws IllegalArgumentException                       when the request cannot be answered
     * @throws org.panacea.api.audit.AuditException           when the aggregate read cannot be audited; nothing is
     *                                                        returned then
     */
    public ObjectNode analyse(Caller caller, CohortRequest request) {
        policy.require(caller, Operation.READ_AGGREGATE, "Patient");
        Disclosure disclosure = policy.decide(caller, Operation.READ, "Patient").allowed() ? Disclosure.FULL
                : Disclosure.AGGREGATE_ONLY;
        LocalDate today = LocalDate.now(clock);
        Counts counts = new Counts();

        Map<String, LocalDate> onsets = onsets(request.condition(), counts);
        Set<String> optedOut = researchOptOuts(onsets.keySet());
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
        forEachChunk(included, chunk -> page(new SearchQuery("Patient", Map.of("_id", String.join(",", chunk)), PAGE,
                0), patient -> patients.put(patient.path("id").asText(), patient)));

        SurvivalData data = followUp(request, included, onsets, patients, today, counts);
        SurvivalResult result = SurvivalAnalysis.run(data, request.ties(), disclosure, false);

        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode cohort = root.putObject("cohort");
        cohort.put("condition", request.condition());
        cohort.put("event", CohortRequest.DEATH);
        cohort.put("followUp", "days from the condition's onset to death (Patient.deceasedDateTime), censored on "
                + today);
        Json.count(cohort, "patientsWithCondition", counts.patientsWithCondition, disclosure);
        ObjectNode excluded = cohort.putObject("excluded");
        Json.count(excluded, "researchOptOut", counts.researchOptOut, disclosure);
        Json.count(excluded, "noOnsetDate", counts.noOnsetDate, disclosure);
        Json.count(excluded, "patientNotFound", counts.patientNotFound, disclosure);
        Json.count(excluded, "deathDateUnknown", counts.deathDateUnknown, disclosure);
        Json.count(excluded, "deathBeforeOnset", counts.deathBeforeOnset, disclosure);
        Json.count(excluded, "onsetAfterToday", counts.onsetAfterToday, disclosure);
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
        cohort.put("aggregateOnly", disclosure != Disclosure.FULL);
        if (disclosure != Disclosure.FULL) {
            cohort.put("minimumGroupSize", disclosure.minimumGroupSize());
        }
        root.setAll(SurvivalReport.json(result, request.curve()));

        audit.record(new AuditEvent(caller.name(),
                caller.roles().stream().map(Role::jaasName).sorted().findFirst().orElse(""), AuditAction.READ,
                "Patient", "", "", AuditOutcome.SUCCESS, caller.clientAddress(),
                "READ_AGGREGATE: cohort survival analysis of Condition " + request.condition() + " (group "
                        + request.group() + ", covariates " + request.covariates() + "): "
                        + counts.patientsWithCondition + " patients with the condition, " + counts.researchOptOut
                        + " research opt-outs excluded, " + data.subjects() + " analysed"
                        + (disclosure == Disclosure.FULL ? "" : ", aggregates of at least "
                                + disclosure.minimumGroupSize())));
        return root;
    }

    /** Each patient with the condition and its onset, {@code null} when no matching Condition is dated. */
    private Map<String, LocalDate> onsets(String condition, Counts counts) {
        Map<String, LocalDate> onsets = new TreeMap<>();
        page(new SearchQuery("Condition", Map.of("code", condition), PAGE, 0), resource -> {
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
    private Set<String> researchOptOuts(Set<String> patients) {
        Set<String> optedOut = new HashSet<>();
        forEachChunk(new ArrayList<>(patients), chunk -> page(new SearchQuery("Consent",
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

    private SurvivalData followUp(CohortRequest request, List<String> included, Map<String, LocalDate> onsets,
            Map<String, JsonNode> patients, LocalDate today, Counts counts) {
        List<double[]> rows = new ArrayList<>();
        List<Boolean> deaths = new ArrayList<>();
        List<String> groups = new ArrayList<>();
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
            double[] row = new double[request.covariates().size() + 1];
            row[0] = ChronoUnit.DAYS.between(onset, dead ? death : today);
            for (int j = 0; j < request.covariates().size(); j++) {
                row[j + 1] = switch (request.covariates().get(j)) {
                    case "age" -> birth == null ? Double.NaN : Period.between(birth, onset).getYears();
                    case "sex" -> gender.equals("female") ? 1 : gender.equals("male") ? 0 : Double.NaN;
                    default -> throw new IllegalStateException("unknown covariate " + request.covariates().get(j));
                };
            }
            rows.add(row);
            deaths.add(dead);
            groups.add(gender.isEmpty() ? null : gender);
        }
        int n = rows.size();
        double[] time = new double[n];
        boolean[] event = new boolean[n];
        double[][] covariates = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] row = rows.get(i);
            time[i] = row[0];
            event[i] = deaths.get(i);
            covariates[i] = java.util.Arrays.copyOfRange(row, 1, row.length);
        }
        return new SurvivalData(time, event, request.group() == null ? null : groups.toArray(String[]::new),
                request.group(), request.covariates(), covariates, n, 0);
    }

    /** Every resource a search matches, page by page, as read by the platform. */
    private void page(SearchQuery first, Consumer<JsonNode> each) {
        int offset = 0;
        while (true) {
            SearchResult result = records.search(READER, new SearchQuery(first.resourceType(), first.parameters(),
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

package org.panacea.analysis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.plugins.support.stats.CoxProportionalHazards.Ties;
import org.panacea.security.internal.RoleBasedAccessPolicy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Cohort survival over a record that holds R's lung data set as patients with lung cancer (see {@link LungCohort}):
 * the record's path must give R's survfit and survdiff results (R 4.2.2, survival 3.5-3; JSON keys km_lung_sex and
 * logrank_lung_sex of the shared reference), with the access rules of the real role policy.
 */
class CohortSurvivalTest {

    static final Caller CLINICIAN = new Caller("dr-house", Set.of(Role.CLINICIAN), "10.0.0.7");
    static final Caller RESEARCHER = new Caller("rita", Set.of(Role.RESEARCHER), "10.0.0.8");
    static final Caller AUDITOR = new Caller("ann", Set.of(Role.AUDITOR), "10.0.0.9");

    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final RoleBasedAccessPolicy policy = new RoleBasedAccessPolicy(audit);
    private final InMemoryRecords records = new InMemoryRecords(policy);
    private final CohortSurvival cohort = new CohortSurvival(records, policy, audit,
            Clock.fixed(LungCohort.TODAY.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC));

    CohortSurvivalTest() {
        LungCohort.load(records);
    }

    private static CohortRequest bySex(List<String> covariates) {
        return new CohortRequest(LungCohort.LUNG_CANCER, "sex", covariates, Ties.EFRON, true);
    }

    private static JsonNode group(JsonNode report, String label) {
        for (JsonNode group : report.path("kaplanMeier").path("groups")) {
            if (group.path("label").asText().equals(label)) {
                return group;
            }
        }
        throw new AssertionError("no group " + label + " in " + report.path("kaplanMeier"));
    }

    @Test
    void theRecordsLungPatientsGiveRsCurvesAndLogRankTest() {
        ObjectNode report = cohort.analyse(CLINICIAN, bySex(List.of()));
        assertEquals(228, report.path("cohort").path("patientsWithCondition").asInt());
        assertEquals(228, report.path("cohort").path("analysed").asInt());
        assertFalse(report.path("cohort").path("aggregateOnly").asBoolean());
        // km_lung_sex.table: sex=1 (male) 138, 112 events, median 270 (212, 310); sex=2 (female) 90, 53, 426 (348, 550)
        JsonNode male = group(report, "sex=male");
        assertEquals(138, male.path("subjects").asInt());
        assertEquals(112, male.path("events").asInt());
        assertEquals(270, male.path("median").path("time").asDouble());
        assertEquals(212, male.path("median").path("lower").asDouble());
        assertEquals(310, male.path("median").path("upper").asDouble());
        JsonNode female = group(report, "sex=female");
        assertEquals(90, female.path("subjects").asInt());
        assertEquals(426, female.path("median").path("time").asDouble());
        assertEquals(348, female.path("median").path("lower").asDouble());
        assertEquals(550, female.path("median").path("upper").asDouble());
        // km_lung_sex.at_365: S(365) for men 0.336087834639379, 35 at risk
        JsonNode atYear = null;
        for (JsonNode step : male.path("curve")) {
            if (step.path("time").asDouble() <= 365) {
                atYear = step;
            }
        }
        assertEquals(0.336087834639379, atYear.path("survival").asDouble(), 1e-12);
        // logrank_lung_sex: chisq 10.3267419548856 on 1 df, p 0.00131116452035549
        JsonNode logRank = report.path("logRank");
        assertEquals(10.3267419548856, logRank.path("chiSquare").asDouble(), 1e-6 * 10.33);
        assertEquals(0.00131116452035549, logRank.path("p").asDouble(), 1e-6 * 0.00131);
        assertEquals(1, logRank.path("df").asInt());
    }

    @Test
    void theCoxModelOnAgeAtOnsetAndSexIsTheTablesOwn() throws IOException {
        ObjectNode report = cohort.analyse(CLINICIAN, bySex(List.of("age", "sex")));
        JsonNode cox = report.path("cox");
        assertEquals(228, cox.path("subjects").asInt());
        assertEquals(165, cox.path("events").asInt());
        // the same model fitted on the CSV table (sex coded 1/2 there, 0/1 here: the same coefficient)
        String csv = new String(LungCohort.class.getResourceAsStream("/data/lung.csv").readAllBytes(),
                StandardCharsets.UTF_8);
        var table = org.panacea.plugins.support.CsvTable.read(new ByteArrayInputStream(csv.getBytes(
                StandardCharsets.UTF_8)));
        SurvivalRequest request = SurvivalRequest.of(Map.of("time", "time", "event", "status", "event-value", "2",
                "covariates", "age,sex"));
        JsonNode direct = SurvivalReport.json(SurvivalAnalysis.run(SurvivalData.fromTable(table, request),
                Ties.EFRON, Disclosure.FULL, true), false).path("cox");
        for (int j = 0; j < 2; j++) {
            JsonNode expected = direct.path("coefficients").get(j);
            JsonNode actual = cox.path("coefficients").get(j);
            assertEquals(expected.path("name").asText(), actual.path("name").asText());
            assertEquals(expected.path("coef").asDouble(), actual.path("coef").asDouble(), 1e-9);
            assertEquals(expected.path("se").asDouble(), actual.path("se").asDouble(), 1e-9);
        }
        assertEquals(direct.path("logLikelihood").path("fitted").asDouble(),
                cox.path("logLikelihood").path("fitted").asDouble(), 1e-9);
        assertEquals(direct.path("concordance").path("value").asDouble(),
                cox.path("concordance").path("value").asDouble(), 1e-9);
        assertEquals("years at the condition's onset", report.path("cohort").path("covariates").path("age").asText());
    }

    @Test
    void researchOptOutsAreLeftOutAndCounted() {
        // five patients refuse research use; a withdrawn refusal (inactive) and a permit do not count
        for (int i = 1; i <= 5; i++) {
            records.add(LungCohort.researchOptOut("optout-" + i, "lung-" + i));
        }
        ObjectNode inactive = LungCohort.researchOptOut("inactive", "lung-6");
        inactive.put("status", "inactive");
        records.add(inactive);
        ObjectNode permit = LungCohort.researchOptOut("permit", "lung-7");
        permit.putObject("provision").put("type", "permit");
        records.add(permit);
        ObjectNode report = cohort.analyse(CLINICIAN, bySex(List.of()));
        assertEquals(228, report.path("cohort").path("patientsWithCondition").asInt());
        assertEquals(5, report.path("cohort").path("excluded").path("researchOptOut").asInt());
        assertEquals(223, report.path("cohort").path("analysed").asInt());
        assertEquals(223, group(report, "sex=male").path("subjects").asInt()
                + group(report, "sex=female").path("subjects").asInt());
    }

    @Test
    void researchersGetAggregatesOfFiveOrMoreAndNoIdentifiers() {
        // a third sex group of three patients: too small to show to a researcher
        for (int i = 1; i <= 3; i++) {
            records.add(LungCohort.patient("other-" + i, "other", LocalDate.of(1950, 1, 1), null));
            records.add(LungCohort.condition("other-condition-" + i, "other-" + i, LocalDate.of(2023, 1, i)));
        }
        records.add(LungCohort.researchOptOut("optout", "lung-1"));
        ObjectNode report = cohort.analyse(RESEARCHER, bySex(List.of("age", "sex")));
        String text = report.toString();
        assertFalse(text.contains("lung-") || text.contains("other-") || text.contains("MRN")
                || text.contains("Family"), "no patient identifier may reach a researcher");
        assertTrue(report.path("cohort").path("aggregateOnly").asBoolean());
        assertEquals(5, report.path("cohort").path("minimumGroupSize").asInt());
        assertEquals("<5", report.path("cohort").path("excluded").path("researchOptOut").asText());
        JsonNode other = group(report, "sex=other");
        assertEquals("<5", other.path("subjects").asText());
        assertFalse(other.has("median") || other.has("curve"), other.toString());
        // the log-rank test compares only the groups shown, so it is R's on the lung patients less one man
        assertEquals(List.of("sex=female", "sex=male"), report.path("logRank").path("groups").findValuesAsText(
                "label"));
        // curves stop before fewer than five remain at risk
        for (JsonNode step : group(report, "sex=male").path("curve")) {
            assertTrue(step.path("atRisk").asInt() >= 5, step.toString());
        }
        assertEquals(5, group(report, "sex=male").path("curveEndsWhereFewerAtRiskThan").asInt());
        // the medians are aggregates: shown
        assertEquals(426, group(report, "sex=female").path("median").path("time").asDouble());
    }

    @Test
    void theRecordIsReadByThePlatformAndTheAggregateReadIsAuditedUnderTheCaller() {
        cohort.analyse(RESEARCHER, bySex(List.of()));
        assertFalse(records.searchedBy.isEmpty());
        assertEquals(Set.of("system:analysis"), Set.copyOf(records.searchedBy));
        List<AuditEvent> mine = audit.events.stream().filter(e -> e.actor().equals("rita")).toList();
        assertEquals(1, mine.size());
        AuditEvent event = mine.get(0);
        assertEquals(AuditAction.READ, event.action());
        assertEquals("researcher", event.role());
        assertEquals("10.0.0.8", event.clientAddress());
        assertTrue(event.details().startsWith("READ_AGGREGATE: cohort survival analysis of Condition "
                + LungCohort.LUNG_CANCER), event.details());
        assertTrue(event.details().contains("228 analysed"), event.details());
    }

    @Test
    void callersWithoutAggregateAccessAreRefusedBeforeAnythingIsRead() {
        assertThrows(AccessDeniedException.class, () -> cohort.analyse(AUDITOR, bySex(List.of())));
        assertTrue(records.searchedBy.isEmpty());
        assertEquals(AuditAction.ACCESS_DENIED, audit.events.get(0).action());
        assertEquals("ann", audit.events.get(0).actor());
    }

    @Test
    void noResultWithoutItsAuditEntry() {
        audit.failing = true;
        assertThrows(AuditException.class, () -> cohort.analyse(CLINICIAN, bySex(List.of())));
    }

    @Test
    void undatedAndInconsistentRecordsAreCountedNotGuessed() {
        ObjectNode undated = LungCohort.condition("undated", "lung-1", LocalDate.of(2020, 1, 1));
        undated.remove("onsetDateTime");
        records.add(undated); // lung-1 keeps the onset of its dated Condition
        records.add(LungCohort.patient("p-undated", "female", LocalDate.of(1950, 1, 1), null));
        ObjectNode onlyUndated = LungCohort.condition("c-undated", "p-undated", LocalDate.of(2020, 1, 1));
        onlyUndated.remove("onsetDateTime");
        records.add(onlyUndated);
        records.add(LungCohort.patient("p-early-death", "male", LocalDate.of(1950, 1, 1), LocalDate.of(2019, 1, 1)));
        records.add(LungCohort.condition("c-early-death", "p-early-death", LocalDate.of(2020, 1, 1)));
        ObjectNode unknownDeath = LungCohort.patient("p-unknown-death", "male", LocalDate.of(1950, 1, 1), null);
        unknownDeath.put("deceasedBoolean", true);
        records.add(unknownDeath);
        records.add(LungCohort.condition("c-unknown-death", "p-unknown-death", LocalDate.of(2020, 1, 1)));
        ObjectNode refuted = LungCohort.condition("c-refuted", "p-refuted", LocalDate.of(2020, 1, 1));
        ((ObjectNode) refuted.path("verificationStatus").path("coding").get(0)).put("code", "refuted");
        records.add(refuted);
        ObjectNode report = cohort.analyse(CLINICIAN, bySex(List.of()));
        JsonNode excluded = report.path("cohort").path("excluded");
        assertEquals(231, report.path("cohort").path("patientsWithCondition").asInt(), "the refuted one is not");
        assertEquals(1, excluded.path("noOnsetDate").asInt());
        assertEquals(1, excluded.path("deathBeforeOnset").asInt());
        assertEquals(1, excluded.path("deathDateUnknown").asInt());
        assertEquals(228, report.path("cohort").path("analysed").asInt());
    }

    @Test
    void requestsAreCheckedFieldByField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CohortRequest.fromJson(Json.MAPPER.readTree("{\"condition\": \"254637007\"}")));
        assertTrue(e.getMessage().contains("system|code"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CohortRequest.fromJson(Json.MAPPER.readTree(
                "{\"condition\": \"http://snomed.info/sct|254637007\", \"event\": \"admission\"}")));
        assertTrue(e.getMessage().contains("death"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CohortRequest.fromJson(Json.MAPPER.readTree(
                "{\"condition\": \"http://snomed.info/sct|254637007\", \"covariates\": [\"weight\"]}")));
        assertTrue(e.getMessage().contains("'weight'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CohortRequest.fromJson(Json.MAPPER.readTree(
                "{\"condition\": \"http://snomed.info/sct|254637007\", \"colour\": 1}")));
        assertTrue(e.getMessage().contains("'colour'"), e.getMessage());
    }

    @Test
    void theConsoleTextShowsWhatTheJsonShows() {
        String text = ReportText.survival(cohort.analyse(CLINICIAN, bySex(List.of("age", "sex"))));
        assertTrue(text.contains("sex=male"), text);
        assertTrue(text.matches("(?s).*sex=male\\s+138\\s+112\\s+270\\s+212\\s+310.*"), text);
        assertTrue(text.contains("Log-rank: chi-square 10.33 on 1 df, p = 0.001311"), text);
        assertTrue(text.contains("Cox proportional hazards (efron ties): 228 subjects, 165 events"), text);
    }
}

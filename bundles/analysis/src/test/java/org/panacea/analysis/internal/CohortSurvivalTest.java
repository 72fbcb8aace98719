package org.panacea.analysis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.panacea.testsupport.Callers;
import org.panacea.testsupport.RecordingAuditTrail;
import org.panacea.testsupport.RolePolicy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Cohort survival over a record that holds R's lung data set as patients with lung cancer (see {@link LungCohort}):
 * the record's path must give R's survfit and survdiff results (R 4.2.2, survival 3.5-3; JSON keys km_lung_sex and
 * logrank_lung_sex of the shared reference), with the platform's role rules; callers are issued as the security bundle
 * issues them, and the policy refuses any other. Researchers' answers are checked against attacks that would reveal a
 * group of fewer than five by setting one answer against another.
 */
class CohortSurvivalTest {

    private static final String OTHER_CODE = "http://snomed.info/sct|93880001";

    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final Callers callers = new Callers();
    private final RolePolicy policy = new RolePolicy(callers, audit);
    private final InMemoryRecords records = new InMemoryRecords(policy);
    private final CohortSurvival cohort = cohortOf(records);

    private final Caller clinician = callers.user("dr-house", Role.CLINICIAN, "10.0.0.7");
    private final Caller researcher = callers.user("rita", Role.RESEARCHER, "10.0.0.8");
    private final Caller auditor = callers.user("ann", Role.AUDITOR, "10.0.0.9");

    CohortSurvivalTest() {
        LungCohort.load(records);
    }

    private CohortSurvival cohortOf(InMemoryRecords source) {
        return new CohortSurvival(source, policy, audit, callers,
                Clock.fixed(LungCohort.TODAY.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC));
    }

    /** Three patients of a third sex with lung cancer, young and dying soon after onset: they would move any fit. */
    private void addThreeOfAnotherSex(InMemoryRecords to) {
        for (int i = 1; i <= 3; i++) {
            LocalDate onset = LungCohort.TODAY.minusDays(400 + i);
            to.add(LungCohort.patient("other-" + i, "other", onset.minusYears(20 + i), onset.plusDays(3 * i)));
            to.add(LungCohort.condition("other-condition-" + i, "other-" + i, onset));
        }
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
        ObjectNode report = cohort.analyse(clinician, bySex(List.of()));
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
        ObjectNode report = cohort.analyse(clinician, bySex(List.of("age", "sex")));
        JsonNode cox = report.path("cox");
        assertEquals(228, cox.path("subjects").asInt());
        assertEquals(165, cox.path("events").asInt());
        // the same model fitted on the CSV table (sex coded 1/2 there, 0/1 here: the same coefficient)
        String csv = new String(LungCohort.class.getResourceAsStream("/data/lung.csv").readAllBytes(),
                StandardCharsets.UTF_8);
        Table table = Table.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), List.of("time",
                "status", "age", "sex"), TableLimits.DEFAULTS);
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
        ObjectNode report = cohort.analyse(clinician, bySex(List.of()));
        assertEquals(228, report.path("cohort").path("patientsWithCondition").asInt());
        assertEquals(5, report.path("cohort").path("excluded").path("researchOptOut").asInt());
        assertEquals(223, report.path("cohort").path("analysed").asInt());
        assertEquals(223, group(report, "sex=male").path("subjects").asInt()
                + group(report, "sex=female").path("subjects").asInt());
    }

    @Test
    void researchersGetAggregatesOfFiveOrMoreAndNoIdentifiers() {
        addThreeOfAnotherSex(records);
        records.add(LungCohort.researchOptOut("optout", "lung-1"));
        ObjectNode report = cohort.analyse(researcher, bySex(List.of("age", "sex")));
        String text = report.toString();
        assertFalse(text.contains("lung-") || text.contains("other-") || text.contains("MRN")
                || text.contains("Family"), "no patient identifier may reach a researcher");
        assertTrue(report.path("cohort").path("aggregateOnly").asBoolean());
        assertEquals(5, report.path("cohort").path("minimumGroupSize").asInt());
        assertEquals("<5", report.path("cohort").path("excluded").path("researchOptOut").asText());
        assertEquals("<5", report.path("cohort").path("excluded").path("smallGroups").asText());
        assertEquals(227, report.path("cohort").path("analysed").asInt());
        // the third sex is too small a group: no curve, no count, nothing of it in the log-rank test
        assertEquals(Set.of("sex=female", "sex=male"), Set.copyOf(report.path("kaplanMeier").path("groups")
                .findValuesAsText("label")));
        assertEquals(Set.of("sex=female", "sex=male"), Set.copyOf(report.path("logRank").path("groups")
                .findValuesAsText("label")));
        // curves stop before fewer than five remain at risk
        for (JsonNode step : group(report, "sex=male").path("curve")) {
            assertTrue(step.path("atRisk").asInt() >= 5, step.toString());
        }
        assertEquals(5, group(report, "sex=male").path("curveEndsWhereFewerAtRiskThan").asInt());
        // the medians are aggregates: shown
        assertEquals(426, group(report, "sex=female").path("median").path("time").asDouble());
    }

    @Test
    void aSmallGroupIsInNoNumberOfAResearchersReportItsCoxModelIncluded() {
        // the same record without the three, for comparison
        InMemoryRecords without = new InMemoryRecords(policy);
        LungCohort.load(without);
        addThreeOfAnotherSex(records);
        CohortRequest request = new CohortRequest(LungCohort.LUNG_CANCER, "sex", List.of("age"), Ties.EFRON, true);

        ObjectNode report = cohort.analyse(researcher, request);
        ObjectNode expected = cohortOf(without).analyse(researcher, request);
        // every figure, the Cox model's coefficients, means, concordance and log-likelihoods included, is as if
        // the three did not exist
        for (String part : List.of("rows", "kaplanMeier", "logRank", "cox")) {
            assertEquals(expected.path(part), report.path(part), part);
        }
        assertEquals(228, report.path("cox").path("subjects").asInt());
        assertEquals(228, report.path("cohort").path("analysed").asInt());
        assertEquals("<5", report.path("cohort").path("excluded").path("smallGroups").asText());

        // while a clinician's fit takes them in, and its numbers move: the comparison above can tell
        ObjectNode full = cohort.analyse(clinician, request);
        assertEquals(231, full.path("cox").path("subjects").asInt());
        JsonNode age = report.path("cox").path("coefficients").get(0);
        JsonNode fullAge = full.path("cox").path("coefficients").get(0);
        assertNotEquals(fullAge.path("mean").asDouble(), age.path("mean").asDouble());
        assertNotEquals(fullAge.path("coef").asDouble(), age.path("coef").asDouble());
        // the mean age is the lung patients' own
        double[] ages = LungCohort.lung().column("age");
        assertEquals(java.util.Arrays.stream(ages).average().orElseThrow(), age.path("mean").asDouble(), 1e-9);
    }

    @Test
    void everyQuestionAboutAConditionAnalysesTheSamePatientsSoNoTwoAnswersDifferByASmallGroup() {
        addThreeOfAnotherSex(records);
        // two women whose age is unknown: a cell of two, whatever the question asks
        for (int i = 1; i <= 2; i++) {
            ObjectNode patient = LungCohort.patient("no-birth-" + i, "female", LocalDate.of(1950, 1, 1), null);
            patient.remove("birthDate");
            records.add(patient);
            records.add(LungCohort.condition("no-birth-condition-" + i, "no-birth-" + i, LocalDate.of(2023, 3, i)));
        }
        ObjectNode ungrouped = cohort.analyse(researcher, new CohortRequest(LungCohort.LUNG_CANCER, null, List.of(),
                Ties.EFRON, false));
        ObjectNode bySex = cohort.analyse(researcher, bySex(List.of()));
        ObjectNode withAge = cohort.analyse(researcher, new CohortRequest(LungCohort.LUNG_CANCER, null,
                List.of("age"), Ties.EFRON, false));
        ObjectNode withSex = cohort.analyse(researcher, new CohortRequest(LungCohort.LUNG_CANCER, null,
                List.of("sex"), Ties.EFRON, false));
        // the attack: everyone less the groups shown, or less the complete cases, would count the hidden few
        int all = group(ungrouped, "all").path("subjects").asInt();
        assertEquals(228, all);
        assertEquals(all, group(bySex, "sex=male").path("subjects").asInt()
                + group(bySex, "sex=female").path("subjects").asInt());
        assertEquals(0, bySex.path("kaplanMeier").path("droppedMissingGroup").asInt());
        assertEquals(all, withAge.path("cox").path("subjects").asInt());
        assertEquals(0, withAge.path("cox").path("droppedMissingCovariate").asInt());
        assertEquals(all, withSex.path("cox").path("subjects").asInt());
        for (ObjectNode report : List.of(ungrouped, bySex, withAge, withSex)) {
            assertEquals(all, report.path("cohort").path("analysed").asInt());
            // two cells of 3 and 2 left out: five together, which may be shown
            assertEquals(5, report.path("cohort").path("excluded").path("smallGroups").asInt());
            assertEquals(233, report.path("cohort").path("patientsWithCondition").asInt());
        }
        // a clinician sees the five
        ObjectNode full = cohort.analyse(clinician, new CohortRequest(LungCohort.LUNG_CANCER, null, List.of("age"),
                Ties.EFRON, false));
        assertEquals(233, full.path("cohort").path("analysed").asInt());
        assertEquals(2, full.path("cox").path("droppedMissingCovariate").asInt());
    }

    @Test
    void theTotalIsWithheldWhenItWouldCountTheHiddenExclusions() {
        records.add(LungCohort.researchOptOut("optout-1", "lung-1"));
        ObjectNode one = cohort.analyse(researcher, bySex(List.of()));
        // 228 with the condition less 227 analysed would be the one opt-out
        assertEquals("withheld", one.path("cohort").path("patientsWithCondition").asText());
        assertEquals("<5", one.path("cohort").path("excluded").path("researchOptOut").asText());
        assertEquals(227, one.path("cohort").path("analysed").asInt());
        assertTrue(ReportText.survival(one).contains("patients with the condition: withheld"),
                ReportText.survival(one));
        assertEquals(228, cohort.analyse(clinician, bySex(List.of())).path("cohort").path("patientsWithCondition")
                .asInt(), "a clinician sees it");

        // two opt-outs and three of a small group: five hidden together, which may be shown, not how they split
        records.add(LungCohort.researchOptOut("optout-2", "lung-2"));
        addThreeOfAnotherSex(records);
        ObjectNode five = cohort.analyse(researcher, bySex(List.of()));
        assertEquals(231, five.path("cohort").path("patientsWithCondition").asInt());
        assertEquals("<5", five.path("cohort").path("excluded").path("researchOptOut").asText());
        assertEquals("<5", five.path("cohort").path("excluded").path("smallGroups").asText());
        assertEquals(226, five.path("cohort").path("analysed").asInt());

        // nothing hidden: the total is shown
        ObjectNode plain = cohortOf(lungOnly()).analyse(researcher, bySex(List.of()));
        assertEquals(228, plain.path("cohort").path("patientsWithCondition").asInt());
    }

    private InMemoryRecords lungOnly() {
        InMemoryRecords lung = new InMemoryRecords(policy);
        LungCohort.load(lung);
        return lung;
    }

    @Test
    void codesJoinedByCommasAreRefusedToResearchersSoNoDifferenceRevealsAFewPatients() {
        // three patients coded only with another code
        for (int i = 1; i <= 3; i++) {
            records.add(LungCohort.patient("b-" + i, i == 1 ? "female" : "male", LocalDate.of(1950, 1, 1), null));
            ObjectNode condition = LungCohort.condition("b-condition-" + i, "b-" + i, LocalDate.of(2023, 1, i));
            ((ObjectNode) condition.path("code").path("coding").get(0)).put("code", "93880001");
            ((ArrayNode) condition.path("code").path("coding")).remove(1);
            records.add(condition);
        }
        CohortRequest both = new CohortRequest(LungCohort.LUNG_CANCER + "," + OTHER_CODE, null, List.of(),
                Ties.EFRON, false);
        CohortRequest one = new CohortRequest(LungCohort.LUNG_CANCER, null, List.of(), Ties.EFRON, false);
        // the attack, as a clinician may run it: A or B, less A, counts the three with B only
        assertEquals(3, cohort.analyse(clinician, both).path("cohort").path("analysed").asInt()
                - cohort.analyse(clinician, one).path("cohort").path("analysed").asInt());

        records.searchers.clear();
        int events = audit.events().size();
        AccessDeniedException refused = assertThrows(AccessDeniedException.class,
                () -> cohort.analyse(researcher, both));
        assertTrue(refused.getMessage().contains("one Condition code"), refused.getMessage());
        assertTrue(records.searchers.isEmpty(), "refused before the record is read");
        AuditEvent denial = audit.events().get(events);
        assertEquals(AuditAction.ACCESS_DENIED, denial.action());
        assertEquals("rita", denial.actor());
        assertEquals("researcher", denial.role());
        // the same code twice is one code
        assertEquals(228, cohort.analyse(researcher, new CohortRequest(LungCohort.LUNG_CANCER + ","
                + LungCohort.LUNG_CANCER, null, List.of(), Ties.EFRON, false)).path("cohort").path("analysed")
                .asInt());
        // and B alone is three patients: nothing of them is shown
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> cohort.analyse(researcher,
                new CohortRequest(OTHER_CODE, null, List.of(), Ties.EFRON, false)));
        assertEquals("no patient with Condition " + OTHER_CODE + " can be analysed: none is in a group of at least 5 "
                + "patients (by sex, and whether the age is known)", small.getMessage());
    }

    @Test
    void eachCodeOfAConditionNamesItsSystem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CohortRequest(
                LungCohort.LUNG_CANCER + ",93880001", null, List.of(), Ties.EFRON, false));
        assertTrue(e.getMessage().contains("each with its system"), e.getMessage());
        assertEquals(List.of(LungCohort.LUNG_CANCER, OTHER_CODE), new CohortRequest(LungCohort.LUNG_CANCER + ","
                + OTHER_CODE + "," + LungCohort.LUNG_CANCER, null, List.of(), Ties.EFRON, false).codes());
    }

    @Test
    void theRecordIsReadByThePlatformAndTheAggregateReadIsAuditedUnderTheCaller() {
        cohort.analyse(researcher, bySex(List.of()));
        assertFalse(records.searchers.isEmpty());
        for (Caller reader : records.searchers) {
            // issued by the security service for the platform's own work, so the policy lets it read
            assertEquals("system:analysis", reader.name());
            assertEquals(Set.of(Role.CLINICIAN), reader.roles());
            assertTrue(callers.issued(reader), reader.toString());
        }
        List<AuditEvent> mine = audit.events().stream().filter(e -> e.actor().equals("rita")).toList();
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
    void theAuditNamesTheCallersPrimaryRole() {
        Caller both = callers.user("sam", Set.of(Role.RESEARCHER, Role.NURSE), "10.0.0.11");
        cohort.analyse(both, bySex(List.of()));
        AuditEvent event = audit.events().stream().filter(e -> e.actor().equals("sam")).findFirst().orElseThrow();
        assertEquals(both.primaryRole(), event.role());
        assertEquals("nurse", event.role());
    }

    @Test
    void aCallerNoOneIssuedIsRefusedWhateverItsRoles() {
        Caller forged = new Caller("rita", Set.of(Role.RESEARCHER), "10.0.0.8");
        assertThrows(AccessDeniedException.class, () -> cohort.analyse(forged, bySex(List.of())));
        assertTrue(records.searchers.isEmpty());
    }

    @Test
    void callersWithoutAggregateAccessAreRefusedBeforeAnythingIsRead() {
        assertThrows(AccessDeniedException.class, () -> cohort.analyse(auditor, bySex(List.of())));
        assertTrue(records.searchers.isEmpty());
        assertEquals(AuditAction.ACCESS_DENIED, audit.events().get(0).action());
        assertEquals("ann", audit.events().get(0).actor());
    }

    @Test
    void noResultWithoutItsAuditEntry() {
        audit.failing(true);
        assertThrows(AuditException.class, () -> cohort.analyse(clinician, bySex(List.of())));
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
        ObjectNode report = cohort.analyse(clinician, bySex(List.of()));
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
        String text = ReportText.survival(cohort.analyse(clinician, bySex(List.of("age", "sex"))));
        assertTrue(text.contains("sex=male"), text);
        assertTrue(text.matches("(?s).*sex=male\\s+138\\s+112\\s+270\\s+212\\s+310.*"), text);
        assertTrue(text.contains("Log-rank: chi-square 10.33 on 1 df, p = 0.001311"), text);
        assertTrue(text.contains("Cox proportional hazards (efron ties): 228 subjects, 165 events"), text);
    }
}

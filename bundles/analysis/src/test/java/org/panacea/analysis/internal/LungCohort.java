package org.panacea.analysis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;

import org.panacea.plugins.support.CsvTable;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * R's lung data set as a record: each of its 228 patients a FHIR Patient with lung cancer (a Condition) whose onset
 * is dated so that the follow-up from onset to death, or to today when censored, is the data set's {@code time} in
 * days; age at onset is the data set's {@code age}, sex 1 male and 2 female. A cohort analysis of this record must
 * then give R's results on the data set.
 */
public final class LungCohort {

    public static final String LUNG_CANCER = "http://snomed.info/sct|254637007";
    public static final LocalDate TODAY = LocalDate.of(2024, 6, 1);

    private LungCohort() {
    }

    /** The named columns of lung.csv, as the analyses read tables. */
    public static Table table(List<String> columns) {
        try (InputStream in = LungCohort.class.getResourceAsStream("/data/lung.csv")) {
            return Table.read(in, columns, TableLimits.DEFAULTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CsvTable lung() {
        try (InputStream in = LungCohort.class.getResourceAsStream("/data/lung.csv")) {
            return CsvTable.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds the 228 patients, ids {@code lung-1..lung-228}, to {@code records}. */
    public static void load(InMemoryRecords records) {
        CsvTable lung = lung();
        double[] time = lung.column("time");
        double[] status = lung.column("status");
        double[] age = lung.column("age");
        double[] sex = lung.column("sex");
        for (int i = 0; i < lung.rows(); i++) {
            boolean dead = status[i] == 2;
            // the dead died long ago; the censored are followed up to today
            LocalDate end = dead ? TODAY.minusDays(400 + i) : TODAY;
            LocalDate onset = end.minusDays((long) time[i]);
            // born a few days before the onset's anniversary: the age in whole years is the data set's
            LocalDate birth = onset.minusYears((long) age[i]).minusDays(1 + i % 200);
            records.add(patient("lung-" + (i + 1), sex[i] == 2 ? "female" : "male", birth, dead ? end : null));
            records.add(condition("condition-" + (i + 1), "lung-" + (i + 1), onset));
        }
    }

    public static ObjectNode patient(String id, String gender, LocalDate birth, LocalDate death) {
        ObjectNode patient = Json.MAPPER.createObjectNode().put("resourceType", "Patient").put("id", id);
        patient.putArray("identifier").addObject().put("system", "https://panacea.example/fhir/sid/mrn")
                .put("value", "MRN-" + id);
        patient.putArray("name").addObject().put("family", "Family-" + id);
        patient.put("gender", gender).put("birthDate", birth.toString());
        if (death != null) {
            patient.put("deceasedDateTime", death.toString());
        }
        return patient;
    }

    public static ObjectNode condition(String id, String patient, LocalDate onset) {
        ObjectNode condition = Json.MAPPER.createObjectNode().put("resourceType", "Condition").put("id", id);
        condition.putObject("verificationStatus").putArray("coding").addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/condition-ver-status").put("code", "confirmed");
        var coding = condition.putObject("code").putArray("coding");
        coding.addObject().put("system", "http://snomed.info/sct").put("code", "254637007");
        coding.addObject().put("system", "http://hl7.org/fhir/sid/icd-10").put("code", "C34.90");
        condition.putObject("subject").put("reference", "Patient/" + patient);
        condition.put("onsetDateTime", onset + "T09:30:00Z");
        return condition;
    }

    /** An active Consent by which {@code patient} refuses research use of their data. */
    public static ObjectNode researchOptOut(String id, String patient) {
        ObjectNode consent = Json.MAPPER.createObjectNode().put("resourceType", "Consent").put("id", id);
        consent.put("status", "active");
        consent.putObject("scope").putArray("coding").addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/consentscope").put("code", "research");
        consent.putObject("patient").put("reference", "Patient/" + patient);
        consent.putObject("provision").put("type", "deny");
        return consent;
    }
}

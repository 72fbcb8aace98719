package org.panacea.records.internal.demo;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

import org.panacea.records.internal.fhir.CodeSystems;
import org.panacea.records.internal.fhir.FhirJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Synthetic but clinically plausible patient histories for demonstrations and tests, one transaction Bundle per
 * patient: demographics, chronic conditions (SNOMED CT with ICD-10), their medications (RxNorm), encounters with vital
 * signs (heart and respiratory rate, SpO2, temperature, blood pressure) and laboratory values (LOINC, UCUM), deaths
 * for some, and a research opt-out Consent for a few. Risk factors raise the chance of later events, so cohort
 * analyses over the demo data find real differences. Deterministic for a seed; no real person is described.
 */
public final class SyntheticPatients {

    public static final String MRN_SYSTEM = "https://panacea.example/fhir/sid/mrn";

    private static final String[] FAMILY = { "Müller", "Schmid", "Keller", "Weber", "Huber", "Meier", "Fischer",
            "Baumann", "Gerber", "Brunner", "Rossi", "Bianchi", "Favre", "Morel", "Nguyen", "Okafor", "Silva",
            "Kowalski", "Jensen", "O'Brien", "García", "Novak", "Yilmaz", "Haddad", "Tanaka", "Lindqvist" };
    private static final String[] GIVEN_FEMALE = { "Anna", "Laura", "Sofia", "Elena", "Marie", "Lea", "Nora",
            "Ines", "Chiara", "Amara", "Yuki", "Maja" };
    private static final String[] GIVEN_MALE = { "Luca", "Noah", "David", "Marco", "Jonas", "Felix", "Samuel",
            "Elias", "Tomás", "Kwame", "Hiroshi", "Jan" };
    private static final String[] CITY = { "Zürich", "Bern", "Basel", "Lausanne", "Genève", "Luzern", "Winterthur" };

    /** A chronic condition: SNOMED CT concept, ICD-10 code, name, base prevalence, and the drug that treats it. */
    private record Chronic(String snomed, String icd10, String display, double prevalence, String rxnorm,
            String drug) {
    }

    private static final Chronic[] CONDITIONS = {
            new Chronic("38341003", "I10", "Hypertensive disorder", 0.35, "314076", "lisinopril 10 MG Oral Tablet"),
            new Chronic("44054006", "E11.9", "Diabetes mellitus type 2", 0.15, "860975",
                    "metformin hydrochloride 500 MG Oral Tablet"),
            new Chronic("49436004", "I48.91", "Atrial fibrillation", 0.12, "1364430", "apixaban 5 MG Oral Tablet"),
            new Chronic("84114007", "I50.9", "Heart failure", 0.08, "200031", "carvedilol 6.25 MG Oral Tablet"),
            new Chronic("230690007", "I63.9", "Cerebrovascular accident", 0.05, null, null),
            new Chronic("22298006", "I21.9", "Myocardial infarction", 0.06, "197361", "amlodipine 5 MG Oral Tablet"),
            new Chronic("254637007", "C34.90", "Non-small cell lung cancer", 0.06, null, null) };

    private final Random random;
    private final LocalDate today;

    public SyntheticPatients(long seed, LocalDate today) {
        this.random = new Random(seed);
        this.today = today;
    }

    /** The next patient's whole history as a FHIR transaction Bundle. */
    public ObjectNode nextBundle(int number) {
        ObjectNode bundle = FhirJson.MAPPER.createObjectNode();
        bundle.put("resourceType", "Bundle");
        bundle.put("type", "transaction");
        ArrayNode entries = bundle.putArray("entry");

        boolean female = random.nextBoolean();
        int age = 25 + (int) Math.round(Math.min(65, Math.abs(random.nextGaussian() * 18 + 30)));
        LocalDate birth = today.minusYears(age).minusDays(random.nextInt(365));
        String patientUrl = urn();
        ObjectNode patient = resource("Patient");
        patient.putArray("identifier").addObject().put("system", MRN_SYSTEM)
                .put("value", String.format(Locale.ROOT, "DEMO-%06d", number))
                .putObject("type").putArray("coding").addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/v2-0203").put("code", "MR");
        String family = pick(FAMILY);
        String given = female ? pick(GIVEN_FEMALE) : pick(GIVEN_MALE);
        ObjectNode name = patient.putArray("name").addObject().put("use", "official").put("family", family);
        name.putArray("given").add(given);
        patient.put("gender", female ? "female" : "male");
        patient.put("birthDate", birth.toString());
        patient.putArray("telecom").addObject().put("system", "phone").put("use", "home")
                .put("value", String.format(Locale.ROOT, "+41 %02d %03d %02d %02d", 21 + random.nextInt(70),
                        random.nextInt(1000), random.nextInt(100), random.nextInt(100)));
        ObjectNode address = patient.putArray("address").addObject();
        address.putArray("line").add(pick(new String[] { "Bahnhofstrasse", "Seestrasse", "Dorfstrasse",
                "Rue du Lac", "Via Nassa" }) + " " + (1 + random.nextInt(120)));
        address.put("city", pick(CITY)).put("postalCode", String.valueOf(1000 + random.nextInt(8999)))
                .put("country", "CH");
        add(entries, patientUrl, patient);

        // Conditions: prevalence rises with age; onset some years back.
        double ageFactor = Math.max(0.3, (age - 25) / 40.0);
        double risk = 0;
        boolean lungCancer = false;
        LocalDate lungCancerOnset = null;
        for (Chronic chronic : CONDITIONS) {
            if (random.nextDouble() < chronic.prevalence * ageFactor) {
                LocalDate onset = today.minusDays(30 + random.nextInt(Math.max(31, Math.min(age - 20, 15) * 365)));
                ObjectNode condition = resource("Condition");
                condition.putObject("clinicalStatus").putArray("coding").addObject()
                        .put("system", "http://terminology.hl7.org/CodeSystem/condition-clinical").put("code", "active");
                condition.putObject("verificationStatus").putArray("coding").addObject()
                        .put("system", "http://terminology.hl7.org/CodeSystem/condition-ver-status")
                        .put("code", "confirmed");
                ArrayNode coding = condition.putObject("code").put("text", chronic.display).putArray("coding");
                coding.addObject().put("system", CodeSystems.SNOMED_CT).put("code", chronic.snomed)
                        .put("display", chronic.display);
                coding.addObject().put("system", CodeSystems.ICD_10).put("code", chronic.icd10);
                condition.putObject("subject").put("reference", patientUrl);
                condition.put("onsetDateTime", onset.toString());
                condition.put("recordedDate", onset.toString());
                add(entries, urn(), condition);
                risk += chronic.prevalence * 4;
                if (chronic.snomed.equals("254637007")) {
                    lungCancer = true;
                    lungCancerOnset = onset;
                }
                if (chronic.rxnorm != null) {
                    ObjectNode request = resource("MedicationRequest");
                    request.put("status", "active").put("intent", "order");
                    request.putObject("medicationCodeableConcept").put("text", chronic.drug).putArray("coding")
                            .addObject().put("system", CodeSystems.RXNORM).put("code", chronic.rxnorm)
                            .put("display", chronic.drug);
                    request.putObject("subject").put("reference", patientUrl);
                    request.put("authoredOn", onset.toString());
                    request.putArray("dosageInstruction").addObject().put("text", "1 tablet daily");
                    add(entries, urn(), request);
                }
            }
        }

        // Encounters with vital signs and labs, the last few months denser for the sicker.
        int encounters = 2 + random.nextInt(4) + (int) Math.round(risk);
        LocalDateTime last = null;
        for (int e = 0; e < encounters; e++) {
            LocalDateTime start = today.minusDays(random.nextInt(3 * 365) + 1).atTime(8 + random.nextInt(9),
                    random.nextInt(60));
            last = last == null || start.isAfter(last) ? start : last;
            boolean emergency = random.nextDouble() < 0.1 + risk * 0.05;
            String encounterUrl = urn();
            ObjectNode encounter = resource("Encounter");
            encounter.put("status", "finished");
            encounter.putObject("class").put("system", "http://terminology.hl7.org/CodeSystem/v3-ActCode")
                    .put("code", emergency ? "EMER" : "AMB").put("display", emergency ? "emergency" : "ambulatory");
            encounter.putObject("subject").put("reference", patientUrl);
            encounter.putObject("period").put("start", instant(start)).put("end", instant(start.plusMinutes(
                    emergency ? 240 : 30)));
            add(entries, encounterUrl, encounter);
            double sick = emergency ? 1 + random.nextDouble() : random.nextDouble() * 0.3;
            String when = instant(start.plusMinutes(5));
            vital(entries, patientUrl, encounterUrl, when, "8867-4", "Heart rate", 72 + 25 * sick
                    + random.nextGaussian() * 8, "/min", "beats/minute", 0);
            vital(entries, patientUrl, encounterUrl, when, "9279-1", "Respiratory rate", 15 + 7 * sick
                    + random.nextGaussian() * 2, "/min", "breaths/minute", 0);
            vital(entries, patientUrl, encounterUrl, when, "59408-5", "Oxygen saturation in Arterial blood by Pulse "
                    + "oximetry", Math.min(100, 97.5 - 5 * sick + random.nextGaussian()), "%", "%", 0);
            vital(entries, patientUrl, encounterUrl, when, "8310-5", "Body temperature", 36.8 + 1.2 * sick
                    + random.nextGaussian() * 0.3, "Cel", "Cel", 1);
            vital(entries, patientUrl, encounterUrl, when, "8480-6", "Systolic blood pressure", 128 - 18 * sick
                    + 10 * risk + random.nextGaussian() * 12, "mm[Hg]", "mm[Hg]", 0);
            vital(entries, patientUrl, encounterUrl, when, "8462-4", "Diastolic blood pressure", 80 - 8 * sick
                    + random.nextGaussian() * 8, "mm[Hg]", "mm[Hg]", 0);
            if (random.nextDouble() < 0.6) {
                lab(entries, patientUrl, encounterUrl, when, "2339-0", "Glucose [Mass/volume] in Blood",
                        95 + 30 * risk + random.nextGaussian() * 15, "mg/dL");
                lab(entries, patientUrl, encounterUrl, when, "2160-0", "Creatinine [Mass/volume] in Serum or Plasma",
                        0.9 + 0.2 * risk + Math.abs(random.nextGaussian() * 0.2), "mg/dL");
            }
        }

        // Deaths: more likely with lung cancer and with age; the time from diagnosis is exponential.
        double hazard = (lungCancer ? 0.6 : 0.01) + Math.max(0, age - 70) * 0.01 + risk * 0.02;
        if (random.nextDouble() < hazard) {
            LocalDate from = lungCancerOnset != null ? lungCancerOnset : today.minusYears(3);
            long days = (long) (-Math.log(1 - random.nextDouble()) * (lungCancer ? 400 : 900));
            LocalDate death = from.plusDays(Math.max(1, days));
            if (death.isBefore(today)) {
                patient.put("deceasedDateTime", death.toString());
            }
        }
        if (random.nextDouble() < 0.05) {
            ObjectNode consent = resource("Consent");
            consent.put("status", "active");
            consent.putObject("scope").putArray("coding").addObject()
                    .put("system", "http://terminology.hl7.org/CodeSystem/consentscope").put("code", "research");
            consent.putArray("category").addObject().putArray("coding").addObject()
                    .put("system", "http://loinc.org").put("code", "59284-0");
            consent.putObject("patient").put("reference", patientUrl);
            consent.put("dateTime", today.minusDays(random.nextInt(700)).toString());
            consent.putObject("provision").put("type", "deny");
            add(entries, urn(), consent);
        }
        return bundle;
    }

    private void vital(ArrayNode entries, String patient, String encounter, String when, String loinc, String display,
            double value, String ucum, String unit, int decimals) {
        ObjectNode observation = observation(patient, encounter, when, loinc, display, "vital-signs");
        observation.putObject("valueQuantity").put("value", round(value, decimals)).put("unit", unit)
                .put("system", CodeSystems.UCUM).put("code", ucum);
        add(entries, urn(), observation);
    }

    private void lab(ArrayNode entries, String patient, String encounter, String when, String loinc, String display,
            double value, String ucum) {
        ObjectNode observation = observation(patient, encounter, when, loinc, display, "laboratory");
        observation.putObject("valueQuantity").put("value", round(Math.max(0.1, value), 2)).put("unit", ucum)
                .put("system", CodeSystems.UCUM).put("code", ucum);
        add(entries, urn(), observation);
    }

    private static ObjectNode observation(String patient, String encounter, String when, String loinc, String display,
            String category) {
        ObjectNode observation = resource("Observation");
        observation.put("status", "final");
        observation.putArray("category").addObject().putArray("coding").addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/observation-category").put("code", category);
        observation.putObject("code").put("text", display).putArray("coding").addObject()
                .put("system", CodeSystems.LOINC).put("code", loinc).put("display", display);
        observation.putObject("subject").put("reference", patient);
        observation.putObject("encounter").put("reference", encounter);
        observation.put("effectiveDateTime", when);
        return observation;
    }

    private static java.math.BigDecimal round(double value, int decimals) {
        return java.math.BigDecimal.valueOf(value).setScale(decimals, java.math.RoundingMode.HALF_UP);
    }

    private static ObjectNode resource(String type) {
        return FhirJson.MAPPER.createObjectNode().put("resourceType", type);
    }

    private static void add(ArrayNode entries, String fullUrl, ObjectNode resource) {
        ObjectNode entry = entries.addObject();
        entry.put("fullUrl", fullUrl);
        entry.set("resource", resource);
        entry.putObject("request").put("method", "POST").put("url", resource.path("resourceType").asText());
    }

    private String urn() {
        return "urn:uuid:" + new UUID(random.nextLong(), random.nextLong());
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String instant(LocalDateTime time) {
        return time.atOffset(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}

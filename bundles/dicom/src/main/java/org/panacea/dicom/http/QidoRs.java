package org.panacea.dicom.http;

import static org.panacea.dicom.http.DicomJson.attribute;
import static org.panacea.dicom.http.DicomJson.put;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.records.SearchResult;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.Caller;
import org.panacea.rest.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * QIDO-RS (DICOM PS3.18 section 10.6): studies, a study's series and a series' instances, answered from the
 * record's ImagingStudy resources in the DICOM JSON model. It searches through {@link PatientRecords}, so the
 * access policy and the audit trail see every search and every patient whose studies are listed, exactly as for
 * FHIR searches.
 * <p>
 * Matching keys (by keyword or tag): PatientID (exact), StudyInstanceUID (one or a comma-separated list),
 * ModalitiesInStudy (one), StudyDate (a date {@code YYYYMMDD} or a range {@code A-B}, {@code -B}, {@code A-});
 * {@code limit} (default 100, at most 1000) and {@code offset}. {@code includefield} and {@code fuzzymatching} are
 * accepted and ignored (every known attribute is always returned); other keys are ignored and named in a
 * {@code Warning: 299} header, as the standard asks of keys a server does not support. Wildcards are refused.
 * The DIMSE C-FIND service ({@code org.panacea.dicom.dimse}) answers through the same searches.
 */
public final class QidoRs {

    /** FHIR's way of writing a DICOM UID as an identifier, as the archive files studies. */
    private static final String UID_SYSTEM = "urn:ietf:rfc:3986";
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Set<String> ACCEPTED_AND_IGNORED = Set.of("includefield", "fuzzymatching");
    /** Keyword and tag of each supported matching key. */
    private static final Map<String, String> KEYS = Map.of("00100020", "PatientID", "0020000D",
            "StudyInstanceUID", "00080061", "ModalitiesInStudy", "00080020", "StudyDate");

    private static final ObjectMapper JSON = Json.mapper();

    private final PatientRecords records;

    public QidoRs(PatientRecords records) {
        this.records = records;
    }

    /** The answer and the keys it ignored (for the Warning header). */
    public record Answer(List<Map<String, Object>> matches, List<String> ignored) {
    }

    /** Studies matching the query parameters (names as sent, values as sent). */
    public Answer studies(Caller caller, Map<String, String[]> query) {
        Map<String, String> keys = new TreeMap<>();
        List<String> ignored = new ArrayList<>();
        int limit = DEFAULT_LIMIT;
        int offset = 0;
        for (Map.Entry<String, String[]> parameter : query.entrySet()) {
            String name = parameter.getKey();
            String value = parameter.getValue().length == 0 ? "" : parameter.getValue()[0].strip();
            String keyword = KEYS.getOrDefault(name.toUpperCase(Locale.ROOT), name);
            if (name.equals("limit")) {
                limit = whole(name, value, 1, MAX_LIMIT);
            } else if (name.equals("offset")) {
                offset = whole(name, value, 0, Integer.MAX_VALUE);
            } else if (KEYS.containsValue(keyword)) {
                if (value.contains("*") || value.contains("?")) {
                    throw new IllegalArgumentException(keyword + " wildcard matching is not supported; give the "
                            + "exact value");
                }
                if (!value.isEmpty()) {
                    keys.put(keyword, value);
                }
            } else if (!ACCEPTED_AND_IGNORED.contains(name)) {
                ignored.add(name);
            }
        }
        DateRange dates = keys.containsKey("StudyDate") ? DateRange.parse(keys.get("StudyDate")) : DateRange.ANY;
        Map<String, String> fhir = new LinkedHashMap<>();
        if (keys.containsKey("PatientID")) {
            SearchResult patients = records.search(caller, new SearchQuery("Patient", Map.of("identifier",
                    ImageArchive.DICOM_PATIENT_ID_SYSTEM + "|" + keys.get("PatientID")), MAX_LIMIT, 0));
            if (patients.matches().isEmpty()) {
                return new Answer(List.of(), ignored);
            }
            fhir.put("patient", String.join(",", patients.matches().stream().map(StoredResource::id).toList()));
        }
        if (keys.containsKey("StudyInstanceUID")) {
            List<String> identifiers = new ArrayList<>();
            for (String uid : keys.get("StudyInstanceUID").split("[,\\\\]")) {
                identifiers.add(UID_SYSTEM + "|urn:oid:" + uid(uid.strip(), "StudyInstanceUID"));
            }
            fhir.put("identifier", String.join(",", identifiers));
        }
        if (keys.containsKey("ModalitiesInStudy")) {
            fhir.put("modality", keys.get("ModalitiesInStudy"));
        }
        List<StoredResource> studies;
        if (dates == DateRange.ANY) {
            studies = records.search(caller, new SearchQuery("ImagingStudy", fhir, limit, offset)).matches();
        } else {
            // The study date is inside the sealed resource, not a search token: filter after the search.
            List<StoredResource> dated = new ArrayList<>();
            for (StoredResource study : records.search(caller, new SearchQuery("ImagingStudy", fhir, MAX_LIMIT, 0))
                    .matches()) {
                if (dates.includes(tree(study).path("started").asText(""))) {
                    dated.add(study);
                }
            }
            studies = dated.subList(Math.min(offset, dated.size()), Math.min(dated.size(), offset + limit));
        }
        List<Map<String, Object>> matches = new ArrayList<>();
        Map<String, JsonNode> patients = new LinkedHashMap<>();
        for (StoredResource study : studies) {
            JsonNode json = tree(study);
            String subject = json.path("subject").path("reference").asText("");
            JsonNode patient = subject.startsWith("Patient/") ? patients.computeIfAbsent(subject,
                    reference -> tree(records.read(caller, "Patient", reference.substring(8)))) : null;
            matches.add(study(json, patient));
        }
        return new Answer(matches, ignored);
    }

    /** The series of one study. */
    public List<Map<String, Object>> series(Caller caller, String studyUid) {
        JsonNode study = find(caller, studyUid);
        List<Map<String, Object>> matches = new ArrayList<>();
        for (JsonNode series : study.path("series")) {
            Map<String, Object> dataset = new TreeMap<>();
            put(dataset, "0020000D", "UI", studyUid);
            put(dataset, "0020000E", "UI", series.path("uid").asText(null));
            put(dataset, "00080060", "CS", series.path("modality").path("code").asText(null));
            put(dataset, "0008103E", "LO", series.path("description").asText(null));
            put(dataset, "00200011", "IS", series.has("number") ? series.get("number").asInt() : null);
            put(dataset, "00201209", "IS", series.path("instance").size());
            matches.add(dataset);
        }
        return matches;
    }

    /** The instances of one series, each with the URL it is retrieved from. */
    public List<Map<String, Object>> instances(Caller caller, String studyUid, String seriesUid, String baseUrl) {
        JsonNode study = find(caller, studyUid);
        for (JsonNode series : study.path("series")) {
            if (!seriesUid.equals(series.path("uid").asText())) {
                continue;
            }
            List<Map<String, Object>> matches = new ArrayList<>();
            for (JsonNode instance : series.path("instance")) {
                Map<String, Object> dataset = new TreeMap<>();
                String sopInstanceUid = instance.path("uid").asText(null);
                put(dataset, "0020000D", "UI", studyUid);
                put(dataset, "0020000E", "UI", seriesUid);
                put(dataset, "00080018", "UI", sopInstanceUid);
                put(dataset, "00080016", "UI", oid(instance.path("sopClass").path("code").asText(null)));
                put(dataset, "00080060", "CS", series.path("modality").path("code").asText(null));
                put(dataset, "00200013", "IS", instance.has("number") ? instance.get("number").asInt() : null);
                put(dataset, "00081190", "UR", baseUrl + "/studies/" + studyUid + "/series/" + seriesUid
                        + "/instances/" + sopInstanceUid);
                matches.add(dataset);
            }
            return matches;
        }
        throw new ResourceNotFoundException("series", seriesUid + " in study " + studyUid);
    }

    /**
     * The SOP Instance UIDs of a study, or of one of its series when {@code seriesUid} is not null, in the order
     * the study lists them.
     *
     * @throws ResourceNotFoundException when there is no such study or series
     */
    List<String> instanceUids(Caller caller, String studyUid, String seriesUid) {
        return new ArrayList<>(sopClasses(caller, studyUid, seriesUid).keySet());
    }

    /** As {@link #instanceUids}, each with its SOP Class UID. */
    Map<String, String> sopClasses(Caller caller, String studyUid, String seriesUid) {
        JsonNode study = find(caller, studyUid);
        Map<String, String> classes = new LinkedHashMap<>();
        boolean seriesFound = false;
        for (JsonNode series : study.path("series")) {
            if (seriesUid != null && !seriesUid.equals(series.path("uid").asText())) {
                continue;
            }
            seriesFound = true;
            series.path("instance").forEach(instance -> classes.put(instance.path("uid").asText(),
                    oid(instance.path("sopClass").path("code").asText(""))));
        }
        if (!seriesFound && seriesUid != null) {
            throw new ResourceNotFoundException("series", seriesUid + " in study " + studyUid);
        }
        return classes;
    }

    private JsonNode find(Caller caller, String studyUid) {
        List<StoredResource> found = records.search(caller, new SearchQuery("ImagingStudy", Map.of("identifier",
                UID_SYSTEM + "|urn:oid:" + uid(studyUid, "study UID")), 1, 0)).matches();
        if (found.isEmpty()) {
            throw new ResourceNotFoundException("study", studyUid);
        }
        return tree(found.get(0));
    }

    /** The study-level attributes QIDO-RS returns (PS3.18 table 10.6.3-3), empty where the record has no value. */
    private static Map<String, Object> study(JsonNode study, JsonNode patient) {
        Map<String, Object> dataset = new TreeMap<>();
        String uid = null;
        for (JsonNode identifier : study.path("identifier")) {
            if (UID_SYSTEM.equals(identifier.path("system").asText())) {
                uid = oid(identifier.path("value").asText(null));
            }
        }
        String started = study.path("started").asText("");
        put(dataset, "00080020", "DA", started.length() >= 10 ? started.substring(0, 10).replace("-", "") : null);
        put(dataset, "00080030", "TM", null);
        put(dataset, "00080050", "SH", null);
        Set<String> modalities = new LinkedHashSet<>();
        study.path("series").forEach(series -> {
            String code = series.path("modality").path("code").asText("");
            if (!code.isEmpty()) {
                modalities.add(code);
            }
        });
        dataset.put("00080061", attribute("CS", modalities.isEmpty() ? null : List.copyOf(modalities)));
        put(dataset, "00080090", "PN", null);
        put(dataset, "00081030", "LO", study.path("description").asText(null));
        put(dataset, "0020000D", "UI", uid);
        put(dataset, "00200010", "SH", null);
        put(dataset, "00201206", "IS", study.path("numberOfSeries").isNumber() ? study.get("numberOfSeries").asInt()
                : study.path("series").size());
        put(dataset, "00201208", "IS", study.path("numberOfInstances").isNumber()
                ? study.get("numberOfInstances").asInt() : null);
        if (patient != null) {
            patient(dataset, patient);
        }
        return dataset;
    }

    /** Patient name, ID, birth date and sex from the Patient resource. */
    private static void patient(Map<String, Object> dataset, JsonNode patient) {
        String id = null;
        for (JsonNode identifier : patient.path("identifier")) {
            if (id == null || ImageArchive.DICOM_PATIENT_ID_SYSTEM.equals(identifier.path("system").asText())) {
                id = identifier.path("value").asText(null);
            }
        }
        put(dataset, "00100020", "LO", id);
        JsonNode name = patient.path("name").path(0);
        if (name.isMissingNode()) {
            put(dataset, "00100010", "PN", null);
        } else {
            List<String> given = new ArrayList<>();
            name.path("given").forEach(part -> given.add(part.asText()));
            String alphabetic = name.path("family").asText("") + (given.isEmpty() ? "" : "^" + String.join(" ", given));
            dataset.put("00100010", attribute("PN", List.of(Map.of("Alphabetic", alphabetic))));
        }
        String birthDate = patient.path("birthDate").asText("");
        put(dataset, "00100030", "DA", birthDate.length() == 10 ? birthDate.replace("-", "") : null);
        String sex = switch (patient.path("gender").asText("")) {
            case "male" -> "M";
            case "female" -> "F";
            case "other" -> "O";
            default -> null;
        };
        put(dataset, "00100040", "CS", sex);
    }


    private static String oid(String value) {
        return value != null && value.startsWith("urn:oid:") ? value.substring(8) : value;
    }

    private static JsonNode tree(StoredResource resource) {
        try {
            return JSON.readTree(resource.json());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored " + resource.resourceType() + " is not JSON", e);
        }
    }

    private static String uid(String value, String what) {
        if (value.length() > 64 || !UID.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be a DICOM UID (digits and dots, at most 64), was '"
                    + value + "'");
        }
        return value;
    }

    private static int whole(String name, String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", was '"
                + value + "'");
    }

    /** A DICOM date range matching key: inclusive bounds, either open. */
    record DateRange(LocalDate from, LocalDate to) {

        static final DateRange ANY = new DateRange(null, null);

        static DateRange parse(String value) {
            try {
                int dash = value.indexOf('-');
                if (dash < 0) {
                    LocalDate day = LocalDate.parse(value, DA);
                    return new DateRange(day, day);
                }
                String from = value.substring(0, dash).strip();
                String to = value.substring(dash + 1).strip();
                if (from.isEmpty() && to.isEmpty()) {
                    throw new IllegalArgumentException("StudyDate range '-' has no bound");
                }
                return new DateRange(from.isEmpty() ? null : LocalDate.parse(from, DA),
                        to.isEmpty() ? null : LocalDate.parse(to, DA));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("StudyDate must be YYYYMMDD or a range YYYYMMDD-YYYYMMDD (either "
                        + "side may be left open), was '" + value + "'");
            }
        }

        /** Whether an ImagingStudy's {@code started} (FHIR dateTime) falls in the range; unknown dates never do. */
        boolean includes(String started) {
            if (started.length() < 10) {
                return false;
            }
            LocalDate day;
            try {
                day = LocalDate.parse(started.substring(0, 10));
            } catch (DateTimeParseException e) {
                return false;
            }
            return (from == null || !day.isBefore(from)) && (to == null || !day.isAfter(to));
        }
    }
}

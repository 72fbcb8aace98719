package org.panacea.records.internal.images;

import java.util.Locale;

import org.panacea.api.imaging.ImageArchive;
import org.panacea.dicom.read.DicomInstance;
import org.panacea.records.internal.fhir.FhirJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The FHIR resources an image is filed under, as the archive builds them: a Patient made from a DICOM file's
 * demographics, and the ImagingStudy that lists a study's series and instances.
 */
final class DicomResources {

    /** Identifier system for the DICOM Patient ID (0010,0020) of patients created from images. */
    static final String DICOM_PATIENT_ID = ImageArchive.DICOM_PATIENT_ID_SYSTEM;
    /** FHIR's way of writing a DICOM UID as an identifier. */
    static final String URI_SYSTEM = "urn:ietf:rfc:3986";
    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String IMAGING_STUDY = "ImagingStudy";

    private DicomResources() {
    }

    /** The modality as stored: {@code OT} (other) when the file names none. */
    static String modality(String modality) {
        return modality == null || modality.isBlank() ? "OT" : modality.strip();
    }

    /** A Patient holding a DICOM file's Patient ID as identifier, and its name, sex and birth date when given. */
    static ObjectNode patient(DicomInstance.Patient patient) {
        return patient(patient, false);
    }

    /**
     * As {@link #patient(DicomInstance.Patient)}; with {@code sexInvalid}, the file's Patient's Sex was a value
     * DICOM does not allow, which the record reads as FHIR's {@code unknown}.
     */
    static ObjectNode patient(DicomInstance.Patient patient, boolean sexInvalid) {
        ObjectNode json = FhirJson.MAPPER.createObjectNode().put("resourceType", "Patient");
        json.putArray("identifier").addObject().put("system", DICOM_PATIENT_ID).put("value", patient.id().strip());
        String[] name = patient.name() == null ? new String[0] : patient.name().split("\\^", -1);
        if (name.length > 0 && !(name[0].isBlank() && (name.length < 2 || name[1].isBlank()))) {
            ObjectNode humanName = json.putArray("name").addObject();
            if (!name[0].isBlank()) {
                humanName.put("family", name[0].strip());
            }
            for (int i = 1; i < Math.min(3, name.length); i++) {
                if (!name[i].isBlank()) {
                    humanName.withArray("given").add(name[i].strip());
                }
            }
            if (!humanName.has("family") && !humanName.has("given")) {
                json.remove("name");
            }
        }
        String sex = patient.sex() == null ? "" : patient.sex().strip().toUpperCase(Locale.ROOT);
        switch (sex) {
            case "M" -> json.put("gender", "male");
            case "F" -> json.put("gender", "female");
            case "O" -> json.put("gender", "other");
            default -> {
                // DICOM leaves it empty when unknown; so does FHIR. A value DICOM does not allow says only that the
                // sender did not know it.
                if (sexInvalid) {
                    json.put("gender", "unknown");
                }
            }
        }
        if (patient.birthDate() != null) {
            json.put("birthDate", patient.birthDate().toString());
        }
        return json;
    }

    /** The identifier value of a study's ImagingStudy: its Study Instance UID as a URN. */
    static String studyIdentifier(String studyUid) {
        return "urn:oid:" + studyUid;
    }

    /** A new ImagingStudy of {@code patientId} for the study of {@code dicom}, listing its instance. */
    static ObjectNode newStudy(String patientId, DicomInstance dicom) {
        String studyUid = dicom.study().instanceUid();
        ObjectNode study = FhirJson.MAPPER.createObjectNode().put("resourceType", IMAGING_STUDY);
        study.putArray("identifier").addObject().put("system", URI_SYSTEM).put("value", studyIdentifier(studyUid));
        study.put("status", "available");
        study.putObject("subject").put("reference", "Patient/" + patientId);
        if (dicom.study().date() != null) {
            study.put("started", dicom.study().date().toString());
        }
        if (dicom.study().description() != null && !dicom.study().description().isBlank()) {
            study.put("description", dicom.study().description());
        }
        addInstance(study, dicom);
        return study;
    }

    /** Lists the instance of {@code dicom} in {@code study}, in its series (added when new). */
    static void addInstance(ObjectNode study, DicomInstance dicom) {
        addInstance(study, dicom.series().instanceUid(), modality(dicom.series().modality()),
                dicom.series().description(), dicom.instance().sopInstanceUid(), dicom.instance().sopClassUid());
    }

    /**
     * Lists instance {@code sopUid} in {@code study}, in series {@code seriesUid} (added when new, with
     * {@code modality} and {@code description}); recounts. {@code sopClassUid} may be null (not listed then).
     */
    static void addInstance(ObjectNode study, String seriesUid, String modality, String description, String sopUid,
            String sopClassUid) {
        ArrayNode seriesList = study.withArray("series");
        ObjectNode series = null;
        for (JsonNode candidate : seriesList) {
            if (seriesUid.equals(candidate.path("uid").asText())) {
                series = (ObjectNode) candidate;
            }
        }
        if (series == null) {
            series = seriesList.addObject().put("uid", seriesUid);
            series.putObject("modality").put("system", DCM).put("code", modality);
            if (description != null && !description.isBlank()) {
                series.put("description", description);
            }
        }
        ObjectNode instance = series.withArray("instance").addObject().put("uid", sopUid);
        if (sopClassUid != null && !sopClassUid.isBlank()) {
            // A file that names no SOP Class (0008,0016) gets no sopClass rather than a made-up one.
            instance.putObject("sopClass").put("system", URI_SYSTEM).put("code", "urn:oid:" + sopClassUid);
        }
        series.put("numberOfInstances", series.withArray("instance").size());
        int instances = 0;
        for (JsonNode one : seriesList) {
            instances += one.path("instance").size();
        }
        study.put("numberOfSeries", seriesList.size());
        study.put("numberOfInstances", instances);
    }
}

package org.panacea.dicom.http;

import static org.panacea.dicom.http.DicomJson.attribute;
import static org.panacea.dicom.http.DicomJson.put;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.panacea.api.imaging.InvalidImageException;
import org.panacea.api.imaging.StoredInstance;
import org.panacea.api.imaging.ValueWarning;
import org.panacea.dicom.read.DicomLimitException;
import org.panacea.dicom.read.InvalidValueException;
import org.panacea.dicom.read.NotAnImageException;
import org.panacea.dicom.read.UnsupportedTransferSyntaxException;

/**
 * The STOW-RS answer: the Store Instances Response Module of PS3.18 10.5.3 in the DICOM JSON model, built up one
 * instance at a time, and the HTTP status it goes with.
 * <ul>
 * <li>Referenced SOP Sequence (0008,1199): each instance stored (or acknowledged as a copy of one stored before), with
 * its SOP class and instance UIDs, its Retrieve URL (0008,1190) and, when values were stored as received, Warning
 * Reason (0008,1196) B007 (Data Set does not match SOP Class: some values break their VR's rules).</li>
 * <li>Failed SOP Sequence (0008,1198): each instance not stored, with Failure Reason (0008,1197): A700 (out of
 * resources: over a size limit), A900 (Data Set does not match SOP Class: an invalid value read strictly, or data that
 * conflicts with what is stored), C000 (cannot understand: malformed), C122 (transfer syntax not supported), 0122 (SOP
 * class not supported: not an image). The UIDs are empty: a file that cannot be read does not say them.</li>
 * <li>Retrieve URL (0008,1190) of the study, when every instance stored belongs to one.</li>
 * </ul>
 * Panacea adds, in the private block {@code PANACEA} of group 0009 (which standard clients ignore): for each stored
 * instance the record's Patient (0009,1010) and ImagingStudy (0009,1011) references and the values stored as received
 * (0009,1012), each with its element (0009,1013, AT), the value (0009,1014), what is wrong (0009,1015) and the
 * record's reading (0009,1016); for each failure the reason in words (0009,1017) and the number of the part (0009,1018)
 * counted from 1. Not thread-safe: one per request.
 */
final class StoreResponse {

    static final int WARNING_DATA_SET_DOES_NOT_MATCH = 0xB007;
    static final int FAILURE_OUT_OF_RESOURCES = 0xA700;
    static final int FAILURE_DATA_SET_DOES_NOT_MATCH = 0xA900;
    static final int FAILURE_CANNOT_UNDERSTAND = 0xC000;
    static final int FAILURE_TRANSFER_SYNTAX_NOT_SUPPORTED = 0xC122;
    static final int FAILURE_SOP_CLASS_NOT_SUPPORTED = 0x0122;
    static final String PRIVATE_CREATOR = "PANACEA";

    private final String baseUrl;
    private final List<Map<String, Object>> referenced = new ArrayList<>();
    private final List<Map<String, Object>> failed = new ArrayList<>();
    private final Set<Integer> failureReasons = new LinkedHashSet<>();
    private final Set<String> studies = new LinkedHashSet<>();
    private boolean warnings;

    /** @param baseUrl the DICOMweb root the Retrieve URLs start with, e.g. {@code http://host:8181/dicomweb} */
    StoreResponse(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    void stored(StoredInstance stored) {
        var instance = stored.instance();
        Map<String, Object> item = new TreeMap<>();
        put(item, "00081150", "UI", stored.sopClassUid().isEmpty() ? null : stored.sopClassUid());
        put(item, "00081155", "UI", instance.sopInstanceUid());
        put(item, "00081190", "UR", baseUrl + "/studies/" + instance.studyInstanceUid() + "/series/"
                + instance.seriesInstanceUid() + "/instances/" + instance.sopInstanceUid());
        put(item, "00090010", "LO", PRIVATE_CREATOR);
        put(item, "00091010", "LO", "Patient/" + instance.patientId());
        put(item, "00091011", "LO", "ImagingStudy/" + instance.imagingStudyId());
        if (!stored.warnings().isEmpty()) {
            warnings = true;
            put(item, "00081196", "US", WARNING_DATA_SET_DOES_NOT_MATCH);
            List<Map<String, Object>> values = new ArrayList<>();
            for (ValueWarning warning : stored.warnings()) {
                Map<String, Object> value = new TreeMap<>();
                put(value, "00090010", "LO", PRIVATE_CREATOR);
                put(value, "00091013", "AT", String.format("%08X", warning.tag()));
                put(value, "00091014", "UT", warning.received());
                put(value, "00091015", "LT", warning.problem());
                put(value, "00091016", "LT", warning.reading());
                values.add(value);
            }
            item.put("00091012", attribute("SQ", values));
        }
        referenced.add(item);
        studies.add(instance.studyInstanceUid());
    }

    /** A part that was not stored; {@code part} counts from 1. */
    void failed(int part, InvalidImageException failure) {
        failed(part, reason(failure), failure.getMessage());
    }

    void failed(int part, int reason, String why) {
        Map<String, Object> item = new TreeMap<>();
        put(item, "00081150", "UI", null);
        put(item, "00081155", "UI", null);
        put(item, "00081197", "US", reason);
        put(item, "00090010", "LO", PRIVATE_CREATOR);
        put(item, "00091017", "LT", why);
        put(item, "00091018", "US", part);
        failed.add(item);
        failureReasons.add(reason);
    }

    /** The Failure Reason for an instance the archive refused. */
    static int reason(InvalidImageException failure) {
        Throwable cause = failure.getCause();
        if (cause instanceof DicomLimitException) {
            return FAILURE_OUT_OF_RESOURCES;
        }
        if (cause instanceof UnsupportedTransferSyntaxException) {
            return FAILURE_TRANSFER_SYNTAX_NOT_SUPPORTED;
        }
        if (cause instanceof NotAnImageException) {
            return FAILURE_SOP_CLASS_NOT_SUPPORTED;
        }
        if (cause instanceof InvalidValueException || cause == null) {
            // A value read strictly, or what the archive refuses of a readable file (no Patient ID, a study filed
            // under another patient): the data set does not fit.
            return FAILURE_DATA_SET_DOES_NOT_MATCH;
        }
        return FAILURE_CANNOT_UNDERSTAND;
    }

    boolean anyStored() {
        return !referenced.isEmpty();
    }

    /**
     * PS3.18 10.5.3: 200 when every instance was stored without warnings; 202 when some were stored and there were
     * warnings or failures; when none was stored, 413 if every failure was a size limit, 400 if every file was
     * malformed, else 409.
     */
    int status() {
        if (anyStored()) {
            return failed.isEmpty() && !warnings ? 200 : 202;
        }
        if (failureReasons.equals(Set.of(FAILURE_OUT_OF_RESOURCES))) {
            return 413;
        }
        if (failureReasons.equals(Set.of(FAILURE_CANNOT_UNDERSTAND))) {
            return 400;
        }
        return 409;
    }

    /** The response data set. */
    Map<String, Object> dataset() {
        Map<String, Object> dataset = new TreeMap<>();
        if (studies.size() == 1) {
            put(dataset, "00081190", "UR", baseUrl + "/studies/" + studies.iterator().next());
        }
        if (!failed.isEmpty()) {
            dataset.put("00081198", attribute("SQ", failed));
        }
        if (!referenced.isEmpty()) {
            dataset.put("00081199", attribute("SQ", referenced));
        }
        return dataset;
    }
}

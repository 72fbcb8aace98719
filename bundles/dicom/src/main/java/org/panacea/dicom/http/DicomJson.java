package org.panacea.dicom.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Attributes in the DICOM JSON model (PS3.18 Annex F), for the QIDO-RS and WADO-RS answers. */
final class DicomJson {

    private DicomJson() {
    }

    /** One single-valued attribute; without {@code Value} when {@code value} is null (the record has none). */
    static void put(Map<String, Object> dataset, String tag, String vr, Object value) {
        dataset.put(tag, attribute(vr, value == null ? null : List.of(value)));
    }

    /** {@code {"vr": ..., "Value": [...]}}, in that order (PS3.18 F.2.2), or the VR alone without values. */
    static Map<String, Object> attribute(String vr, List<?> values) {
        Map<String, Object> attribute = new LinkedHashMap<>();
        attribute.put("vr", vr);
        if (values != null) {
            attribute.put("Value", values);
        }
        return attribute;
    }
}

package org.panacea.dicom.dimse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.dicom.http.QidoRs;
import org.panacea.dicom.net.PresentationContextResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * C-FIND, Patient Root and Study Root (PS3.4 C.4.1), at the PATIENT (Patient Root only), STUDY, SERIES and IMAGE
 * levels, answered by the same record searches as QIDO-RS ({@link QidoRs}), so the access policy and the audit trail
 * see every query and every patient listed. Matching is what the record's blind indexes can do: universal matching
 * (an empty key, or a lone {@code *}) and exact values on the keys below, a StudyDate range at the study level.
 * Hierarchical: a SERIES query names its StudyInstanceUID, an IMAGE query its SeriesInstanceUID too. A partial
 * wildcard ({@code *} or {@code ?} inside a value), a range elsewhere, or a value on a key that cannot be matched is
 * refused with A900 and an error comment saying so, never silently ignored. The response holds the attributes the
 * identifier asked for, empty where the record has no value.
 */
final class QueryProvider {

    private static final Logger LOG = LoggerFactory.getLogger(QueryProvider.class);
    private static final int QUERY_RETRIEVE_LEVEL = 0x00080052;
    private static final int SPECIFIC_CHARACTER_SET = 0x00080005;
    private static final int PATIENT_ID = 0x00100020;
    private static final int STUDY_INSTANCE_UID = 0x0020000D;
    private static final int SERIES_INSTANCE_UID = 0x0020000E;
    private static final int SOP_INSTANCE_UID = 0x00080018;
    private static final int MODALITY = 0x00080060;
    private static final int MODALITIES_IN_STUDY = 0x00080061;
    private static final int STUDY_DATE = 0x00080020;
    private static final int RETRIEVE_URL = 0x00081190;
    private static final int MAX_MATCHES = 1000;

    /** The keys each level can match on, with exact values (StudyDate: a range too). */
    private static final Map<String, Set<Integer>> MATCHING_KEYS = Map.of(
            "PATIENT", Set.of(PATIENT_ID),
            "STUDY", Set.of(PATIENT_ID, STUDY_INSTANCE_UID, MODALITIES_IN_STUDY, STUDY_DATE),
            "SERIES", Set.of(PATIENT_ID, STUDY_INSTANCE_UID, SERIES_INSTANCE_UID, MODALITY),
            "IMAGE", Set.of(PATIENT_ID, STUDY_INSTANCE_UID, SERIES_INSTANCE_UID, SOP_INSTANCE_UID));

    private final QidoRs qido;

    QueryProvider(QidoRs qido) {
        this.qido = qido;
    }

    /** A query the identifier asks that cannot be answered: status A900 with the reason. */
    private static final class UnsupportedQuery extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedQuery(String message) {
            super(message);
        }
    }

    void find(Association association, PresentationContextResult context, CommandSet request) throws IOException {
        Identifier identifier;
        try (InputStream data = association.channel().dataSet(context.id())) {
            if (!request.hasDataSet()) {
                ServiceClassProvider.respond(association, context.id(), ServiceClassProvider.failure(request,
                        Status.UNABLE_TO_PROCESS, "C-FIND-RQ without an identifier"));
                return;
            }
            try {
                identifier = Identifier.read(data, context.transferSyntax().equals(Uids.EXPLICIT_VR_LITTLE_ENDIAN));
            } catch (IllegalArgumentException e) {
                ServiceClassProvider.respond(association, context.id(), ServiceClassProvider.failure(request,
                        Status.UNABLE_TO_PROCESS, e.getMessage()));
                return;
            }
        }
        if (!association.permissions().contains(DimsePermission.QUERY)) {
            ServiceClassProvider.respond(association, context.id(), ServiceClassProvider.failure(request,
                    Status.NOT_AUTHORIZED, association.callingAeTitle() + " may not query"));
            return;
        }
        List<Identifier> matches;
        try {
            matches = matches(association, context.abstractSyntax(), identifier);
        } catch (UnsupportedQuery | IllegalArgumentException e) {
            LOG.info("C-FIND from {} refused: {}", association.callingAeTitle(), e.getMessage());
            ServiceClassProvider.respond(association, context.id(), ServiceClassProvider.failure(request,
                    Status.IDENTIFIER_DOES_NOT_MATCH, e.getMessage()));
            return;
        } catch (AccessDeniedException e) {
            ServiceClassProvider.respond(association, context.id(), ServiceClassProvider.failure(request,
                    Status.NOT_AUTHORIZED, e.getMessage()));
            return;
        } catch (RuntimeException e) {
            LOG.error("C-FIND from {} failed", association.callingAeTitle(), e);
            ServiceClassProvider.respond(association, context.id(), ServiceClassProvider.failure(request,
                    Status.UNABLE_TO_PROCESS, "the query failed: " + e.getClass().getSimpleName()));
            return;
        }
        for (Identifier match : matches) {
            ServiceClassProvider.respond(association, context.id(), CommandSet.response(request, Status.PENDING,
                    true));
            association.out().dataSet(context.id(), new ByteArrayInputStream(match.encode()));
        }
        ServiceClassProvider.respond(association, context.id(), CommandSet.response(request, Status.SUCCESS, false));
    }

    private List<Identifier> matches(Association association, String model, Identifier identifier) {
        String level = identifier.value(QUERY_RETRIEVE_LEVEL);
        if (level == null || !MATCHING_KEYS.containsKey(level.toUpperCase(Locale.ROOT))) {
            throw new UnsupportedQuery("Query/Retrieve Level (0008,0052) must be PATIENT, STUDY, SERIES or IMAGE, "
                    + "was " + (level == null ? "missing" : "'" + level + "'"));
        }
        level = level.toUpperCase(Locale.ROOT);
        if (level.equals("PATIENT") && model.equals(Uids.STUDY_ROOT_FIND)) {
            throw new UnsupportedQuery("Study Root has no PATIENT level: use Patient Root");
        }
        Map<Integer, String> keys = new LinkedHashMap<>();
        for (Map.Entry<Integer, Identifier.Attribute> attribute : identifier.attributes().entrySet()) {
            int tag = attribute.getKey();
            String value = attribute.getValue().value();
            if (tag == QUERY_RETRIEVE_LEVEL || tag == SPECIFIC_CHARACTER_SET || value.isEmpty() || value.equals("*")) {
                continue;
            }
            String name = Identifier.tagName(tag);
            if (value.contains("*") || value.contains("?")) {
                throw new UnsupportedQuery("wildcard " + name + " refused: exact values only (blind index)");
            }
            if (!MATCHING_KEYS.get(level).contains(tag)) {
                throw new UnsupportedQuery("matching on " + name + " unsupported at " + level + " level");
            }
            // Range matching applies to dates and times only (PS3.4 C.2.2.2.5); a '-' elsewhere is part of a value.
            String vr = attribute.getValue().vr().equals("UN") ? Identifier.knownVr(tag) : attribute.getValue().vr();
            if (value.contains("-") && tag != STUDY_DATE && Set.of("DA", "TM", "DT").contains(vr)) {
                throw new UnsupportedQuery("range matching on " + name + " is not supported");
            }
            keys.put(tag, value);
        }
        List<Map<String, Object>> found = switch (level) {
            case "PATIENT", "STUDY" -> studies(association, keys);
            case "SERIES" -> series(association, keys);
            default -> instances(association, keys);
        };
        List<Identifier> answers = new ArrayList<>();
        java.util.Set<String> patientsSeen = new java.util.HashSet<>();
        for (Map<String, Object> dataset : found) {
            if (level.equals("PATIENT") && !patientsSeen.add(text(dataset.get("00100020")))) {
                continue;
            }
            answers.add(answer(identifier, level, dataset));
        }
        return answers;
    }

    private List<Map<String, Object>> studies(Association association, Map<Integer, String> keys) {
        Map<String, String[]> query = new LinkedHashMap<>();
        put(query, "PatientID", keys.get(PATIENT_ID));
        put(query, "StudyInstanceUID", keys.get(STUDY_INSTANCE_UID));
        put(query, "ModalitiesInStudy", keys.get(MODALITIES_IN_STUDY));
        put(query, "StudyDate", keys.get(STUDY_DATE));
        query.put("limit", new String[] {Integer.toString(MAX_MATCHES)});
        return qido.studies(association.caller(), query).matches();
    }

    private List<Map<String, Object>> series(Association association, Map<Integer, String> keys) {
        String study = keys.get(STUDY_INSTANCE_UID);
        if (study == null) {
            throw new UnsupportedQuery("a SERIES query needs the StudyInstanceUID (0020,000D) it is under");
        }
        List<Map<String, Object>> series;
        try {
            series = qido.series(association.caller(), study);
        } catch (ResourceNotFoundException e) {
            return List.of();
        }
        if (keys.containsKey(PATIENT_ID) && !patientMatches(association, study, keys.get(PATIENT_ID))) {
            return List.of();
        }
        return series.stream().filter(one -> matches(one, "0020000E", keys.get(SERIES_INSTANCE_UID))
                && matches(one, "00080060", keys.get(MODALITY))).toList();
    }

    private List<Map<String, Object>> instances(Association association, Map<Integer, String> keys) {
        String study = keys.get(STUDY_INSTANCE_UID);
        String series = keys.get(SERIES_INSTANCE_UID);
        if (study == null || series == null) {
            throw new UnsupportedQuery("an IMAGE query needs the StudyInstanceUID and SeriesInstanceUID it is under");
        }
        if (keys.containsKey(PATIENT_ID) && !patientMatches(association, study, keys.get(PATIENT_ID))) {
            return List.of();
        }
        try {
            return qido.instances(association.caller(), study, series, "").stream()
                    .filter(one -> matches(one, "00080018", keys.get(SOP_INSTANCE_UID))).toList();
        } catch (ResourceNotFoundException e) {
            return List.of();
        }
    }

    private boolean patientMatches(Association association, String study, String patientId) {
        return !studies(association, Map.of(PATIENT_ID, patientId, STUDY_INSTANCE_UID, study)).isEmpty();
    }

    /** The attributes the identifier asked for, from the record's answer (DICOM JSON), empty where it has none. */
    private static Identifier answer(Identifier asked, String level, Map<String, Object> dataset) {
        Identifier answer = new Identifier(asked.explicitVr());
        answer.put(SPECIFIC_CHARACTER_SET, "CS", "ISO_IR 192");
        for (Map.Entry<Integer, Identifier.Attribute> attribute : asked.attributes().entrySet()) {
            int tag = attribute.getKey();
            if (tag == SPECIFIC_CHARACTER_SET || tag == RETRIEVE_URL) {
                continue;
            }
            String vr = attribute.getValue().vr().equals("UN") ? Identifier.knownVr(tag) : attribute.getValue().vr();
            Object found = dataset.get(String.format("%08X", tag));
            answer.put(tag, vr, found == null ? "" : text(found));
        }
        answer.put(QUERY_RETRIEVE_LEVEL, "CS", level);
        return answer;
    }

    /** A DICOM JSON attribute's values as DICOM text: multiple values joined by a backslash, names alphabetic. */
    @SuppressWarnings("unchecked")
    static String text(Object attribute) {
        if (!(attribute instanceof Map<?, ?> map) || !(map.get("Value") instanceof List<?> values)) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (Object value : values) {
            if (value instanceof Map<?, ?> name) {
                Object alphabetic = ((Map<String, Object>) name).get("Alphabetic");
                parts.add(alphabetic == null ? "" : alphabetic.toString());
            } else {
                parts.add(value == null ? "" : value.toString());
            }
        }
        return String.join("\\", parts);
    }

    private static boolean matches(Map<String, Object> dataset, String tag, String wanted) {
        return wanted == null || wanted.equals(text(dataset.get(tag)));
    }

    private static void put(Map<String, String[]> query, String key, String value) {
        if (value != null) {
            query.put(key, new String[] {value});
        }
    }
}

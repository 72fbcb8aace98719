package org.panacea.records.internal.images;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.persistence.EntityManager;

import org.panacea.api.security.FieldEncryption;
import org.panacea.records.internal.Sealed;
import org.panacea.records.internal.fhir.FhirJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The series and instances of an ImagingStudy as it is read: those its sealed resource lists, and every instance
 * stored under it since, from the instances' own rows ({@link ImageInstanceRow}).
 * <p>
 * Why: a received instance used to rewrite its study's ImagingStudy (read, add the instance, validate, seal, replace
 * its index rows) under the study row's lock, which made the resource, not the image, the cost of a C-STORE and
 * serialised every association sending one study. Now an instance is stored as its own row only, and the listing,
 * {@code numberOfSeries}, {@code numberOfInstances} and each series' {@code numberOfInstances} are made here, so
 * every reader (FHIR read, vread of the current version, search, {@code $everything}, export, QIDO-RS, WADO-RS
 * metadata) sees the same ImagingStudy as before.
 * <p>
 * An instance listed in the sealed resource (the study's first, instances of studies stored before this change,
 * derived images stored as pixels) is not listed twice. An instance's series and SOP Class come from its sealed
 * metadata; a series first met in a row takes its modality and description from the earliest instance stored in it,
 * as the rewritten resource did. Instances are listed in the order they were stored. Stateless and thread-safe.
 */
public final class ImagingStudyListing {

    /** The resource type whose instances live in rows of their own. */
    public static final String TYPE = DicomResources.IMAGING_STUDY;
    /** Instances whose listing entry this node keeps opened (some MiB): far more than one study's. */
    private static final int OPENED_ENTRIES = 100_000;

    /** What an instance row contributes to its study's listing, read from its sealed metadata. */
    private record Listed(String seriesUid, String sopUid, String sopClassUid, String seriesDescription) {
    }

    private final FieldEncryption encryption;
    /**
     * Entries of rows already opened and checked, by every clear column of the row (see {@link #key}): a study of
     * 500 instances took ~80 ms to read (ImagingStudyStoreBenchmark) when each read opened every instance's sealed
     * metadata again, against ~2 ms before instances had rows of their own. A row whose clear columns were changed
     * since does not match its entry and is opened (and checked) again. An entry never goes stale: a row is never
     * rewritten but for its seal format (a key column). Held in memory only, as every resource a reader is sent is.
     */
    private final Map<String, Listed> opened = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Listed> eldest) {
            return size() > OPENED_ENTRIES;
        }
    });

    public ImagingStudyListing(FieldEncryption encryption) {
        this.encryption = encryption;
    }

    /**
     * Adds to {@code study} (the sealed ImagingStudy {@code imagingStudyId}, changed in place) the instances stored
     * under it that it does not list, and counts its series and instances again when it added any (a study made
     * through FHIR, with no instance stored, is left as it was written).
     *
     * @return the time the last instance was stored, in milliseconds since the epoch; {@code Long.MIN_VALUE} when
     *         the study has no instance row
     * @throws org.panacea.api.security.DecryptionException when an instance row's clear columns do not match its
     *                                                      sealed metadata
     */
    public long complete(EntityManager em, String imagingStudyId, ObjectNode study) {
        Set<String> listed = new HashSet<>();
        for (JsonNode series : study.path("series")) {
            for (JsonNode instance : series.path("instance")) {
                listed.add(instance.path("uid").asText());
            }
        }
        long lastStored = Long.MIN_VALUE;
        // The clear columns only: the sealed metadata is read for rows not opened before.
        List<Object[]> rows = em.createQuery("SELECT i.uidToken, i.binaryId, i.patientId, i.imagingStudyId, i.format, "
                + "i.modality, i.width, i.height, i.frames, i.byteCount, i.chunkCount, i.sealFormat, i.legacySeal, "
                + "i.storedAtMillis FROM ImageInstanceRow i WHERE i.imagingStudyId = :study "
                + "ORDER BY i.storedAtMillis, i.uidToken", Object[].class).setParameter("study", imagingStudyId)
                .getResultList();
        for (Object[] columns : rows) {
            lastStored = Math.max(lastStored, (Long) columns[13]);
            Listed entry = opened.get(key(columns));
            if (entry == null) {
                entry = open(em, (String) columns[0]);
                opened.put(key(columns), entry);
            }
            if (entry.sopUid().isEmpty() || !listed.add(entry.sopUid())) {
                continue;
            }
            DicomResources.addInstance(study, entry.seriesUid(), (String) columns[5], entry.seriesDescription(),
                    entry.sopUid(), entry.sopClassUid());
        }
        return lastStored;
    }

    /** Every clear column of a row but its store time, which its seal does not bind and the listing only orders by. */
    private static String key(Object[] columns) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < 13; i++) {
            key.append(columns[i]).append('\u0000');
        }
        return key.toString();
    }

    private Listed open(EntityManager em, String uidToken) {
        ImageInstanceRow row = em.find(ImageInstanceRow.class, uidToken);
        JsonNode metadata = FhirJson.fromBytes(Sealed.open(encryption, row));
        return new Listed(metadata.path("seriesInstanceUid").asText(), metadata.path("sopInstanceUid").asText(),
                metadata.path("sopClassUid").asText(null), metadata.path("seriesDescription").asText(null));
    }
}

package org.panacea.records.internal.images;

import java.util.HashSet;
import java.util.List;
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

    private final FieldEncryption encryption;

    public ImagingStudyListing(FieldEncryption encryption) {
        this.encryption = encryption;
    }

    /** The instance rows of study {@code imagingStudyId}, in the order they were stored. */
    static List<ImageInstanceRow> rows(EntityManager em, String imagingStudyId) {
        return em.createQuery("SELECT i FROM ImageInstanceRow i WHERE i.imagingStudyId = :study "
                + "ORDER BY i.storedAtMillis, i.uidToken", ImageInstanceRow.class)
                .setParameter("study", imagingStudyId).getResultList();
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
        for (ImageInstanceRow row : rows(em, imagingStudyId)) {
            lastStored = Math.max(lastStored, row.storedAtMillis());
            JsonNode metadata = FhirJson.fromBytes(Sealed.open(encryption, row));
            String sopUid = metadata.path("sopInstanceUid").asText();
            if (sopUid.isEmpty() || !listed.add(sopUid)) {
                continue;
            }
            DicomResources.addInstance(study, metadata.path("seriesInstanceUid").asText(), row.modality(),
                    metadata.path("seriesDescription").asText(null), sopUid,
                    metadata.path("sopClassUid").asText(null));
        }
        return lastStored;
    }
}

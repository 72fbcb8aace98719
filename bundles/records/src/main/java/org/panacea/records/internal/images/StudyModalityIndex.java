package org.panacea.records.internal.images;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;

import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.records.internal.ResourceStore;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.fhir.SearchParameters;
import org.panacea.records.internal.store.ResourceRow;
import org.panacea.records.internal.store.SearchTokenRow;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Keeps an ImagingStudy's {@code modality} search tokens in step with the instances stored under it, now that an
 * instance no longer rewrites (and so re-indexes) the resource: {@code ImagingStudy?modality=SEG} and QIDO-RS's
 * ModalitiesInStudy find a study once its first SEG instance is stored, as before.
 * <p>
 * Almost every instance brings a modality the study already has: that costs one indexed read and takes no lock. A
 * modality new to the study takes the study row's lock, looks again and adds the missing tokens: two stores bringing
 * the same new modality at once would otherwise both add the same token row, whose key the database gives only one
 * of them, and fail the other store.
 */
final class StudyModalityIndex {

    private static final String PARAM = "modality";

    private final ResourceStore resources;

    StudyModalityIndex(ResourceStore resources) {
        this.resources = resources;
    }

    /** Adds to the index of {@code study} the tokens of {@code modality} it lacks, in the transaction of {@code em}. */
    void addModality(EntityManager em, ResourceRow study, String modality) {
        Set<String> needed = tokens(modality);
        if (indexed(em, study.id()).containsAll(needed)) {
            return;
        }
        if (em.find(ResourceRow.class, study.id(), LockModeType.PESSIMISTIC_WRITE) == null) {
            throw new ResourceNotFoundException(ImagingStudyListing.TYPE, study.id());
        }
        needed.removeAll(indexed(em, study.id()));
        needed.forEach(token -> em.persist(new SearchTokenRow(study.id(), ImagingStudyListing.TYPE, PARAM, token)));
    }

    /** The tokens the record store writes for a series of {@code modality} (code, and system|code). */
    private Set<String> tokens(String modality) {
        ObjectNode series = FhirJson.MAPPER.createObjectNode().put("resourceType", ImagingStudyListing.TYPE);
        DicomResources.addInstance(series, "1", modality, null, "1", null);
        Set<String> tokens = new LinkedHashSet<>();
        SearchParameters.extract(ImagingStudyListing.TYPE, series).getOrDefault(PARAM, Set.of())
                .forEach(value -> tokens.add(resources.token(ImagingStudyListing.TYPE, PARAM, value)));
        return tokens;
    }

    private static Set<String> indexed(EntityManager em, String studyId) {
        List<String> tokens = em.createQuery("SELECT t.token FROM SearchTokenRow t WHERE t.resourceId = :id AND "
                + "t.param = :param", String.class).setParameter("id", studyId).setParameter("param", PARAM)
                .getResultList();
        return new HashSet<>(tokens);
    }
}

package org.panacea.records.internal.images;

import javax.persistence.EntityManager;

/**
 * The images filed under one ImagingStudy: instance rows and the sealed chunks of their bytes, which are not FHIR
 * resources and so are not removed by deleting the study's resource row.
 */
public final class StudyImages {

    /** The resource type whose rows own image instances. */
    public static final String OWNER_TYPE = DicomResources.IMAGING_STUDY;

    private StudyImages() {
    }

    /** How many instance rows and sealed chunks {@link #removeAll} removed. */
    public record Removed(int instances, int chunks) {
    }

    /**
     * Removes, in the open transaction of {@code em}, every image instance of the study {@code imagingStudyId}
     * (received files and derived images) with its sealed bytes. A study deleted without them would leave a patient's
     * pixel data behind where no reader finds it, and would answer a later store of the same instance with "already
     * stored" under a study that is gone.
     */
    public static Removed removeAll(EntityManager em, String imagingStudyId) {
        int chunks = em.createQuery("DELETE FROM BinaryChunkRow c WHERE c.binaryId IN (SELECT i.binaryId FROM "
                + "ImageInstanceRow i WHERE i.imagingStudyId = :study)").setParameter("study", imagingStudyId)
                .executeUpdate();
        int instances = em.createQuery("DELETE FROM ImageInstanceRow i WHERE i.imagingStudyId = :study")
                .setParameter("study", imagingStudyId).executeUpdate();
        return new Removed(instances, chunks);
    }
}

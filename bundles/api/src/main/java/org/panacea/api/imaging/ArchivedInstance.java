package org.panacea.api.imaging;

/**
 * One image instance in the archive.
 *
 * @param patientId         the record's id of the patient
 * @param imagingStudyId    the record's id of the ImagingStudy that lists it
 * @param studyInstanceUid  DICOM Study Instance UID
 * @param seriesInstanceUid DICOM Series Instance UID
 * @param sopInstanceUid    DICOM SOP Instance UID, the instance's identity
 * @param modality          DICOM modality (CT, MR, ...; OT for derived images)
 * @param width             columns
 * @param height            rows
 * @param frames            number of frames
 * @param derivedFrom       the SOP Instance UID of the source for a derived image, else empty
 */
public record ArchivedInstance(String patientId, String imagingStudyId, String studyInstanceUid,
        String seriesInstanceUid, String sopInstanceUid, String modality, int width, int height, int frames,
        String derivedFrom) {

    /** {@code true} for images made by an algorithm. */
    public boolean derived() {
        return derivedFrom != null && !derivedFrom.isEmpty();
    }
}

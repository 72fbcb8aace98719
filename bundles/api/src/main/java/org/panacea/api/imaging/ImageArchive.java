package org.panacea.api.imaging;

import java.io.InputStream;
import java.io.OutputStream;

import org.osgi.annotation.versioning.ProviderType;
import org.panacea.api.security.Caller;

/**
 * Where images live: DICOM instances received from modalities and the images algorithms derive from them, encrypted
 * at rest and linked to their patient through an ImagingStudy in the record. Every call is checked by the access
 * policy and audited. Thread-safe.
 */
@ProviderType
public interface ImageArchive {

    /**
     * The identifier system under which a patient's DICOM Patient ID (0010,0020) is kept in the record: images are
     * filed under the patient with that identifier, and DICOMweb searches by Patient ID through it.
     */
    String DICOM_PATIENT_ID_SYSTEM = "https://panacea.org/fhir/sid/dicom-patient-id";

    /**
     * Reads one DICOM Part 10 instance from {@code part10} (streamed; never held whole twice), files it under its
     * patient (found by the DICOM Patient ID, or created from the DICOM demographics) and its study's ImagingStudy,
     * and stores its bytes encrypted.
     *
     * @throws InvalidImageException when it is not a DICOM file Panacea can read, naming the problem; nothing is
     *                               stored
     */
    ArchivedInstance store(Caller caller, InputStream part10);

    /** What the archive knows of an instance. */
    ArchivedInstance describe(Caller caller, String sopInstanceUid);

    /**
     * Frame {@code frame} (from 0) of an instance, decrypted, with its metadata.
     *
     * @throws IllegalArgumentException when the instance has no such frame
     */
    Image load(Caller caller, String sopInstanceUid, int frame);

    /**
     * Stores an algorithm's output as a derived instance of the source's study, in a series of its own for the
     * derivation, linked to its source.
     *
     * @param derivation what made it (plugin id, version, parameters), shown as the series description
     */
    ArchivedInstance storeDerived(Caller caller, String sourceSopInstanceUid, Image image, String derivation);

    /**
     * Writes the instance as received (the DICOM Part 10 bytes) to {@code out}.
     *
     * @throws IllegalArgumentException for derived instances, which exist as pixels only
     */
    void retrieve(Caller caller, String sopInstanceUid, OutputStream out);
}

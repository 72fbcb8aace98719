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
     * Stores an algorithm's output as a DICOM instance of the source's study, in a series of its own, referencing its
     * source and naming what made it: a Segmentation (SEG) for a mask, a Parametric Map for any other image, when the
     * source is a DICOM instance. The default stores it as {@link #storeDerived(Caller, String, Image, String)} does.
     *
     * @throws InvalidImageException when the image cannot be written as a derived instance of that source
     * @since 1.4
     */
    default ArchivedInstance storeDerived(Caller caller, String sourceSopInstanceUid, Image image,
            Derivation derivation) {
        return storeDerived(caller, sourceSopInstanceUid, image, derivation.describe());
    }

    /**
     * Writes the instance as received (the DICOM Part 10 bytes), or as Panacea wrote it for a derived SEG or
     * Parametric Map, to {@code out}.
     *
     * @throws IllegalArgumentException for derived instances stored as pixels only (before 1.4, or from a source that
     *                                  was itself such)
     */
    void retrieve(Caller caller, String sopInstanceUid, OutputStream out);

    /**
     * Receives the instances of {@link #retrieveAll}, one at a time, in the order asked for.
     *
     * @since 1.3
     */
    @FunctionalInterface
    interface InstanceSink {

        /**
         * @param instance what the instance is
         * @param content  its DICOM Part 10 bytes as received, readable during this call only
         */
        void accept(ArchivedInstance instance, java.io.InputStream content) throws java.io.IOException;
    }

    /**
     * Hands each of the instances, as received, to {@code sink}: the instances of a study or series retrieved in one
     * go. Derived instances (pixels only) are left out. The read is audited once per patient before the first byte is
     * handed over, not once per instance, and the instances are read in one transaction.
     *
     * The default goes through {@link #describe} and {@link #retrieve}, one instance in memory at a time; an archive
     * overrides it to stream from its store.
     *
     * @return how many instances were handed over
     * @throws java.io.UncheckedIOException when the sink fails
     * @since 1.3
     */
    default int retrieveAll(Caller caller, java.util.List<String> sopInstanceUids, InstanceSink sink) {
        int count = 0;
        for (String uid : sopInstanceUids) {
            ArchivedInstance instance = describe(caller, uid);
            if (instance.derived()) {
                continue;
            }
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            retrieve(caller, uid, bytes);
            try {
                sink.accept(instance, new java.io.ByteArrayInputStream(bytes.toByteArray()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            count++;
        }
        return count;
    }
}

package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.panacea.dicom.read.DicomInstance;
import org.panacea.dicom.read.DicomReader;

/**
 * Copies of a sample DICOM file that name another patient, study, series or instance: each value is replaced by a
 * fresh one of the same length, so every length field and the rest of the file stay as they were.
 */
final class DicomVariants {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] sample;
    private final DicomInstance original;

    DicomVariants(byte[] sample) throws Exception {
        this.sample = sample;
        this.original = read(sample);
    }

    /** The sample as read. */
    DicomInstance original() {
        return original;
    }

    /** The sample with these values instead of its own Patient ID, Study, Series and SOP Instance UIDs. */
    byte[] with(String patientId, String studyUid, String seriesUid, String sopUid) throws Exception {
        byte[] file = sample.clone();
        replace(file, original.patient().id(), patientId);
        replace(file, original.study().instanceUid(), studyUid);
        replace(file, original.series().instanceUid(), seriesUid);
        replace(file, original.instance().sopInstanceUid(), sopUid);
        DicomInstance changed = read(file);
        assertEquals(patientId, changed.patient().id());
        assertEquals(studyUid, changed.study().instanceUid());
        assertEquals(seriesUid, changed.series().instanceUid());
        assertEquals(sopUid, changed.instance().sopInstanceUid());
        return file;
    }

    /** A new Patient ID as long as the sample's, of capital letters. */
    String newPatientId() {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < original.patient().id().length(); i++) {
            id.append((char) ('A' + RANDOM.nextInt(26)));
        }
        return id.toString();
    }

    /**
     * A new UID as long as {@code uid} and under the same root (its first five components): every later digit
     * drawn again, none of a component's first digits a zero.
     */
    static String newUid(String uid) {
        StringBuilder fresh = new StringBuilder();
        int components = 0;
        boolean first = true;
        for (char c : uid.toCharArray()) {
            if (c == '.') {
                components++;
                first = true;
                fresh.append(c);
            } else {
                fresh.append(components < 5 ? c : (char) ('0' + (first ? 1 + RANDOM.nextInt(9) : RANDOM.nextInt(10))));
                first = false;
            }
        }
        return fresh.toString();
    }

    private static void replace(byte[] file, String from, String to) {
        byte[] needle = from.getBytes(StandardCharsets.US_ASCII);
        byte[] replacement = to.getBytes(StandardCharsets.US_ASCII);
        assertEquals(needle.length, replacement.length, "a value is replaced by one of the same length");
        int found = 0;
        outer:
        for (int i = 0; i <= file.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (file[i + j] != needle[j]) {
                    continue outer;
                }
            }
            System.arraycopy(replacement, 0, file, i, replacement.length);
            found++;
        }
        if (found == 0) {
            throw new IllegalStateException(from + " is not in the sample");
        }
    }

    private static DicomInstance read(byte[] file) throws Exception {
        return new DicomReader().read(new ByteArrayInputStream(file), file.length);
    }
}

package org.panacea.onnx.internal.models;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.dicom.read.DicomReader;

/**
 * The card's applicability as an outsider meets it: an image of another body part, or one that does not say which,
 * is refused with the reason before the graph runs; a card that names none, or {@code ANY}, takes every image; the
 * body part comes from the DICOM file's Body Part Examined through the platform's reader.
 */
class ApplicabilityCheckTest {

    private static final ModelDescription.Applicability CHEST = new ModelDescription.Applicability(List.of("CT"),
            List.of("chest"), 0.2, 2.0);

    private static ImageMetadata ct(String bodyPart) {
        return new ImageMetadata("CT", 0.7, 0.7, 1, -1024, "HU", 40, 400, 16, "2.25.1", ImageMetadata.MONOCHROME2,
                bodyPart);
    }

    @Test
    void anImageOfTheNamedBodyPartIsAcceptedWhateverTheCase() {
        assertDoesNotThrow(() -> ApplicabilityCheck.check("acme.nodules", CHEST, ct("CHEST")));
        assertDoesNotThrow(() -> ApplicabilityCheck.check("acme.nodules", CHEST, ct("chest ")));
    }

    @Test
    void anImageOfAnotherBodyPartIsRefusedWithTheReason() {
        AlgorithmException refused = assertThrows(AlgorithmException.class,
                () -> ApplicabilityCheck.check("acme.nodules", CHEST, ct("HEAD")));
        assertEquals("image outside the applicability of acme.nodules: body part 'HEAD', the model is for [chest]",
                refused.getMessage());
    }

    @Test
    void anImageThatStatesNoBodyPartIsRefusedWhenTheCardNamesOne() {
        AlgorithmException refused = assertThrows(AlgorithmException.class,
                () -> ApplicabilityCheck.check("acme.nodules", CHEST, ct("")));
        assertEquals("image outside the applicability of acme.nodules: it states no Body Part Examined, the model is "
                + "for [chest]", refused.getMessage());
    }

    @Test
    void aCardForAnyBodyPartOrNoneTakesEveryImage() {
        for (List<String> parts : List.of(List.of("ANY"), List.<String>of())) {
            var any = new ModelDescription.Applicability(List.of("CT"), parts, null, null);
            assertDoesNotThrow(() -> ApplicabilityCheck.check("acme.any", any, ct("")));
            assertDoesNotThrow(() -> ApplicabilityCheck.check("acme.any", any, ct("KNEE")));
        }
        assertDoesNotThrow(() -> ApplicabilityCheck.check("acme.any", new ModelDescription.Applicability(null, null,
                null, null), ct("")));
    }

    @Test
    void theBodyPartOfADicomFileReachesTheCheck() throws Exception {
        // MR_small with Body Part Examined (0018,0015) = HEAD added (test resource, made by pydicom).
        ImageMetadata metadata = new DicomReader().read(Path.of(getClass().getResource("/models/MR_small_head.dcm")
                .toURI())).frame(0).metadata();
        assertEquals("HEAD", metadata.bodyPartExamined());
        var mrChest = new ModelDescription.Applicability(List.of("MR"), List.of("CHEST"), null, null);
        AlgorithmException refused = assertThrows(AlgorithmException.class,
                () -> ApplicabilityCheck.check("acme.mr", mrChest, metadata));
        assertEquals("image outside the applicability of acme.mr: body part 'HEAD', the model is for [CHEST]",
                refused.getMessage());
    }
}

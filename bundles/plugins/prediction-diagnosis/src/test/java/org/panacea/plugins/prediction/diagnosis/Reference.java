package org.panacea.plugins.prediction.diagnosis;

import org.panacea.plugins.support.CsvTable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The test copies of R's reference tables (see src/test/resources/reference/README.md). */
final class Reference {

    private Reference() {
    }

    static CsvTable table(String name) {
        try (InputStream in = Reference.class.getResourceAsStream("/reference/" + name)) {
            return CsvTable.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** R's fitted probabilities of glm(class ~ V1..V9, binomial, biopsy), one per complete case, in order. */
    static CsvTable fitted() {
        return table("logit_biopsy_fitted.csv");
    }

    static LogisticRegression fit() {
        BreastCancerMalignancyModel.Biopsy biopsy = BreastCancerMalignancyModel.biopsy();
        return LogisticRegression.fit(BreastCancerMalignancyModel.INPUTS, biopsy.x(), biopsy.malignant());
    }
}

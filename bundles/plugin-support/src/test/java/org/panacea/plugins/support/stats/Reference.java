package org.panacea.plugins.support.stats;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.panacea.plugins.support.CsvTable;

/** The test copies of R's biopsy data and reference tables (see src/test/resources/reference/README.md). */
final class Reference {

    /** The biopsy data's covariates, in the order of R's formula class ~ V1 + ... + V9. */
    static final List<String> INPUTS = List.of("V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9");

    /** The complete cases of the biopsy data: the nine scores and whether the mass is malignant. */
    record Biopsy(double[][] x, boolean[] malignant) {
    }

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

    /** The rows of MASS_biopsy.csv without a missing value, as R's glm keeps them. */
    static Biopsy biopsy() {
        CsvTable table = table("MASS_biopsy.csv");
        double[][] columns = new double[INPUTS.size()][];
        for (int j = 0; j < columns.length; j++) {
            columns[j] = table.column(INPUTS.get(j));
        }
        String[] outcome = table.text("class");
        List<double[]> rows = new ArrayList<>();
        List<Boolean> classes = new ArrayList<>();
        for (int i = 0; i < table.rows(); i++) {
            double[] row = new double[columns.length];
            boolean complete = !outcome[i].isEmpty();
            for (int j = 0; j < row.length; j++) {
                row[j] = columns[j][i];
                complete &= !Double.isNaN(row[j]);
            }
            if (complete) {
                rows.add(row);
                classes.add(outcome[i].equals("malignant"));
            }
        }
        boolean[] malignant = new boolean[classes.size()];
        for (int i = 0; i < malignant.length; i++) {
            malignant[i] = classes.get(i);
        }
        return new Biopsy(rows.toArray(double[][]::new), malignant);
    }

    static LogisticRegression fit() {
        Biopsy biopsy = biopsy();
        return LogisticRegression.fit(INPUTS, biopsy.x(), biopsy.malignant());
    }
}

package org.panacea.plugins.support.stats;

import org.panacea.plugins.support.CsvTable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RocAucTest {

    @Test
    void biopsyInSampleAucEqualsR() {
        LogisticRegression logit = Reference.fit();
        double auc = RocAuc.auc(logit.fitted(), Reference.biopsy().malignant());
        // logit_biopsy.train_auc (= train_auc_pROC)
        assertEquals(0.996324776659505, auc, 1e-9);
        // and from R's own fitted probabilities
        CsvTable reference = Reference.fitted();
        String[] classes = reference.text("class");
        boolean[] malignant = new boolean[classes.length];
        for (int i = 0; i < classes.length; i++) {
            malignant[i] = classes[i].equals("malignant");
        }
        assertEquals(0.996324776659505, RocAuc.auc(reference.column("fitted_p"), malignant), 1e-9);
    }

    @Test
    void tiesCountOneHalf() {
        boolean[] positive = { false, true, false, true };
        // pairs (positive, negative): (2nd, 1st) win, (2nd, 3rd) tie, (4th, 1st) win, (4th, 3rd) win: 3.5 of 4
        assertEquals(3.5 / 4, RocAuc.auc(new double[] { 0.1, 0.5, 0.5, 0.9 }, positive), 1e-15);
        assertEquals(0.5, RocAuc.auc(new double[] { 1, 1, 1, 1 }, positive), 1e-15);
        assertEquals(1.0, RocAuc.auc(new double[] { 0, 1, 0, 2 }, positive), 1e-15);
        assertEquals(0.0, RocAuc.auc(new double[] { 3, 1, 2, 0 }, positive), 1e-15);
        // 1 positive against 3 negatives: beats 1, ties 1, loses to 1
        assertEquals(1.5 / 3, RocAuc.auc(new double[] { 1, 2, 2, 3 }, new boolean[] { false, true, false, false }),
                1e-15);
    }

    @Test
    void needsBothClasses() {
        assertThrows(IllegalArgumentException.class, () -> RocAuc.auc(new double[] { 1, 2 }, new boolean[] { true, true }));
        assertThrows(IllegalArgumentException.class, () -> RocAuc.auc(new double[] { 1 }, new boolean[] { true, false }));
    }
}

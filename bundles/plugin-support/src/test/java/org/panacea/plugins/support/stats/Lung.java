package org.panacea.plugins.support.stats;

import org.panacea.plugins.support.CsvTable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The test copies of R's lung data and reference tables (see src/test/resources/reference/README.md). */
final class Lung {

    private Lung() {
    }

    static CsvTable table(String name) {
        try (InputStream in = Lung.class.getResourceAsStream("/reference/" + name)) {
            return CsvTable.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CsvTable data() {
        return table("lung.csv");
    }

    static double[] time() {
        return data().column("time");
    }

    /** status 2 = dead. */
    static boolean[] death() {
        double[] status = data().column("status");
        boolean[] death = new boolean[status.length];
        for (int i = 0; i < status.length; i++) {
            death[i] = status[i] == 2;
        }
        return death;
    }

    static String[] sexStrata() {
        double[] sex = data().column("sex");
        String[] strata = new String[sex.length];
        for (int i = 0; i < sex.length; i++) {
            strata[i] = "sex=" + (int) sex[i];
        }
        return strata;
    }
}

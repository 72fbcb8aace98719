package org.panacea.plugins.prediction.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.panacea.plugins.support.CsvTable;
import org.panacea.plugins.support.stats.CoxProportionalHazards;
import org.panacea.plugins.support.stats.LogisticRegression;

/**
 * A deterministic synthetic cohort of 100,000 patients written as CSV, so that Panacea and R fit the identical table:
 * age (years), female (0/1), ecog (0-3), bmi (one decimal), marker (log-normal, four decimals) and three noise
 * covariates x1..x3; a Weibull survival time in whole days (so tied times are common, as in real data) with
 * administrative censoring, and a binary outcome from a logistic model on the same covariates. Every value is
 * written with the decimals it is read with, so both sides parse the same doubles.
 * <p>
 * {@code java -cp benchmarks/target/benchmarks.jar org.panacea.plugins.prediction.bench.SyntheticCohort TABLE.csv
 * [FITS.csv]} writes the table and, when asked, Panacea's coefficients and standard errors for comparison with R's.
 */
public final class SyntheticCohort {

    public static final long SEED = 20240601L;
    public static final int ROWS = 100_000;
    public static final List<String> COX_COVARIATES = List.of("age", "female", "ecog", "bmi", "marker");
    public static final List<String> LOGISTIC_COVARIATES = List.of("age", "female", "ecog", "bmi", "marker", "x1",
            "x2", "x3");

    /** The table as the fits take it. */
    public record Table(double[] time, boolean[] event, double[][] coxCovariates, double[][] logisticCovariates,
            boolean[] outcome) {
    }

    private SyntheticCohort() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: SyntheticCohort TABLE.csv [FITS.csv]");
            System.exit(2);
        }
        Path table = Path.of(args[0]);
        write(table, ROWS, SEED);
        if (args.length > 1) {
            writeFits(read(table), Path.of(args[1]));
        }
    }

    /** The table the benchmark reads: {@code -Dpanacea.bench.cohort=FILE}, else one in the temporary directory. */
    public static Path file() {
        String named = System.getProperty("panacea.bench.cohort");
        Path file = named != null ? Path.of(named)
                : Path.of(System.getProperty("java.io.tmpdir"), "panacea-synthetic-cohort-" + ROWS + "-" + SEED + ".csv");
        if (!Files.exists(file)) {
            try {
                write(file, ROWS, SEED);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the synthetic cohort " + file, e);
            }
        }
        return file;
    }

    static void write(Path file, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(partial, StandardCharsets.UTF_8), 1 << 16)) {
            out.write("time,status,age,female,ecog,bmi,marker,x1,x2,x3,outcome\n");
            double shape = 1.2;
            double scale = Math.pow(700, -shape);
            for (int i = 0; i < rows; i++) {
                int age = (int) Math.max(30, Math.min(95, Math.round(62 + 10 * random.nextGaussian())));
                int female = random.nextDouble() < 0.4 ? 1 : 0;
                double u = random.nextDouble();
                int ecog = u < 0.3 ? 0 : u < 0.7 ? 1 : u < 0.92 ? 2 : 3;
                double bmi = round(Math.max(16, Math.min(50, 27 + 4 * random.nextGaussian())), 1);
                double marker = round(Math.exp(0.5 * random.nextGaussian()), 4);
                double x1 = round(random.nextGaussian(), 4);
                double x2 = round(random.nextGaussian(), 4);
                double x3 = round(random.nextGaussian(), 4);
                double hazard = 0.02 * (age - 62) - 0.5 * female + 0.4 * ecog + 0.03 * (bmi - 27)
                        + 0.2 * Math.log(marker);
                double eventTime = Math.pow(-Math.log(1 - random.nextDouble()) / (scale * Math.exp(hazard)),
                        1 / shape);
                double censoring = 30 + 1970 * random.nextDouble();
                int status = eventTime <= censoring ? 1 : 0;
                long days = Math.max(1, (long) Math.ceil(Math.min(eventTime, censoring)));
                double logOdds = -1 + 0.03 * (age - 62) + 0.5 * female + 0.3 * ecog + 0.05 * (bmi - 27)
                        + 0.4 * Math.log(marker) + 0.1 * x1 - 0.1 * x3;
                int outcome = random.nextDouble() < 1 / (1 + Math.exp(-logOdds)) ? 1 : 0;
                out.write(String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%.1f,%.4f,%.4f,%.4f,%.4f,%d\n", days, status,
                        age, female, ecog, bmi, marker, x1, x2, x3, outcome));
            }
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static double round(double value, int decimals) {
        return java.math.BigDecimal.valueOf(value).setScale(decimals, java.math.RoundingMode.HALF_UP).doubleValue();
    }

    public static Table read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            CsvTable csv = CsvTable.read(in);
            double[] time = csv.column("time");
            double[] status = csv.column("status");
            double[] outcome = csv.column("outcome");
            int n = csv.rows();
            boolean[] event = new boolean[n];
            boolean[] positive = new boolean[n];
            for (int i = 0; i < n; i++) {
                event[i] = status[i] == 1;
                positive[i] = outcome[i] == 1;
            }
            return new Table(time, event, rows(csv, COX_COVARIATES), rows(csv, LOGISTIC_COVARIATES), positive);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the synthetic cohort " + file, e);
        }
    }

    private static double[][] rows(CsvTable csv, List<String> names) {
        double[][] columns = new double[names.size()][];
        for (int j = 0; j < columns.length; j++) {
            columns[j] = csv.column(names.get(j));
        }
        double[][] rows = new double[csv.rows()][names.size()];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < columns.length; j++) {
                rows[i][j] = columns[j][i];
            }
        }
        return rows;
    }

    public static CoxProportionalHazards cox(Table table) {
        return CoxProportionalHazards.fit(COX_COVARIATES, table.coxCovariates(), table.time(), table.event(),
                CoxProportionalHazards.Ties.EFRON);
    }

    public static LogisticRegression logistic(Table table) {
        return LogisticRegression.fit(LOGISTIC_COVARIATES, table.logisticCovariates(), table.outcome());
    }

    /** model,term,estimate,se rows of Panacea's two fits, for the comparison with R's. */
    private static void writeFits(Table table, Path file) throws IOException {
        StringBuilder out = new StringBuilder("model,term,estimate,se\n");
        CoxProportionalHazards cox = cox(table);
        for (int j = 0; j < COX_COVARIATES.size(); j++) {
            out.append(String.format(Locale.ROOT, "cox,%s,%.17g,%.17g%n", COX_COVARIATES.get(j),
                    cox.coefficients()[j], cox.standardError(j)));
        }
        out.append(String.format(Locale.ROOT, "cox,concordance,%.17g,NA%n", cox.concordance().value()));
        out.append(String.format(Locale.ROOT, "cox,loglik,%.17g,NA%n", cox.logLikelihood()));
        LogisticRegression logit = logistic(table);
        for (int j = 0; j < logit.names().size(); j++) {
            out.append(String.format(Locale.ROOT, "glm,%s,%.17g,%.17g%n", logit.names().get(j),
                    logit.coefficients()[j], logit.standardError(j)));
        }
        out.append(String.format(Locale.ROOT, "glm,deviance,%.17g,NA%n", logit.deviance()));
        Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    }
}

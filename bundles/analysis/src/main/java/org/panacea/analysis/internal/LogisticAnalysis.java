package org.panacea.analysis.internal;

import java.util.Locale;

import org.panacea.plugins.support.stats.KaplanMeier;
import org.panacea.plugins.support.stats.LogisticRegression;
import org.panacea.plugins.support.stats.RocAuc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A logistic regression of a table, as R's {@code glm(outcome ~ covariates, binomial)} fits it on the rows without a
 * missing value: coefficients with standard errors, Wald z and p, odds ratios with 95% Wald limits, deviances, AIC,
 * and the in-sample area under the ROC curve of the fitted probabilities.
 */
public final class LogisticAnalysis {

    private LogisticAnalysis() {
    }

    /**
     * @throws IllegalArgumentException naming a missing column, a value that is not a number, an outcome that is not
     *                                  two-valued, or why the model cannot be fitted
     */
    public static ObjectNode json(Table table, LogisticRequest request) {
        BinaryColumn outcome = BinaryColumn.of(request.outcome(), table.text(request.outcome()), request.positive(),
                "positive", table::line);
        int p = request.covariates().size();
        double[][] columns = new double[p][];
        for (int j = 0; j < p; j++) {
            columns[j] = table.column(request.covariates().get(j));
        }
        int n = table.rows();
        boolean[] complete = new boolean[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            boolean ok = !outcome.missing()[i];
            for (int j = 0; j < p && ok; j++) {
                ok = !Double.isNaN(columns[j][i]);
            }
            complete[i] = ok;
            kept += ok ? 1 : 0;
        }
        double[][] x = new double[kept][];
        boolean[] y = new boolean[kept];
        for (int i = 0, k = 0; i < n; i++) {
            if (complete[i]) {
                double[] row = new double[p];
                for (int j = 0; j < p; j++) {
                    row[j] = columns[j][i];
                }
                x[k] = row;
                y[k++] = outcome.yes()[i];
            }
        }
        if (kept == 0) {
            throw new IllegalArgumentException("no row has the outcome and every covariate");
        }
        LogisticRegression logit = LogisticRegression.fit(request.covariates(), x, y);

        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode rows = root.putObject("rows");
        rows.put("read", n);
        rows.put("analysed", kept);
        rows.put("droppedMissingValue", n - kept);
        ObjectNode o = root.putObject("outcome");
        o.put("column", request.outcome());
        o.put("positive", request.positive());
        o.put("positives", logit.positives());
        o.put("negatives", logit.observations() - logit.positives());
        ArrayNode coefficients = root.putArray("coefficients");
        double[] beta = logit.coefficients();
        for (int j = 0; j < beta.length; j++) {
            ObjectNode c = coefficients.addObject();
            c.put("name", logit.names().get(j));
            c.put("estimate", beta[j]);
            double se = logit.standardError(j);
            Json.number(c, "se", se);
            Json.number(c, "z", logit.zValue(j));
            Json.number(c, "p", logit.pValue(j));
            Json.number(c, "oddsRatio", Math.exp(beta[j]));
            Json.number(c, "oddsRatioLower", Math.exp(beta[j] - KaplanMeier.Z_975 * se));
            Json.number(c, "oddsRatioUpper", Math.exp(beta[j] + KaplanMeier.Z_975 * se));
        }
        root.put("deviance", logit.deviance());
        root.put("nullDeviance", logit.nullDeviance());
        root.put("dfResidual", logit.observations() - beta.length);
        root.put("dfNull", logit.observations() - 1);
        root.put("aic", logit.aic());
        root.put("logLikelihood", logit.logLikelihood());
        root.put("iterations", logit.iterations());
        ObjectNode auc = root.putObject("auc");
        auc.put("value", RocAuc.auc(logit.fitted(), y));
        auc.put("note", String.format(Locale.ROOT, "in-sample: the fitted probabilities of the %d rows fitted, "
                + "not a validation", kept));
        return root;
    }
}

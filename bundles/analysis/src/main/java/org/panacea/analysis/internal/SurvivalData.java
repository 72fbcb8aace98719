package org.panacea.analysis.internal;

import java.util.List;

/**
 * Subjects ready for survival analysis: each with a follow-up time and whether it ended in the event, and optionally
 * a group label and covariates. Rows without a time or an event flag are left out when the data is made and counted;
 * a missing group ({@code null}) or covariate ({@code NaN}) leaves a row out of only the analysis that needs it.
 *
 * @param time           follow-up times, not negative
 * @param event          {@code true} where follow-up ended with the event
 * @param group          each subject's group label, {@code null} where missing; {@code null} for no grouping
 * @param groupName      what the groups are ({@code sex}), or {@code null}
 * @param covariateNames the covariates' names, one per column of {@code covariates}
 * @param covariates     one row per subject, {@code NaN} where missing
 * @param rowsRead       rows in the source
 * @param dropped        rows left out for a missing time or event
 */
public record SurvivalData(double[] time, boolean[] event, String[] group, String groupName,
        List<String> covariateNames, double[][] covariates, int rowsRead, int dropped) {

    public SurvivalData {
        covariateNames = List.copyOf(covariateNames);
    }

    /**
     * The table's columns as {@code request} names them.
     *
     * @throws IllegalArgumentException naming a missing column, the line and column of a value that is not a number or
     *                                  of a negative time, or an event column that is not two-valued; never the
     *                                  table's text
     */
    public static SurvivalData fromTable(Table table, SurvivalRequest request) {
        double[] time = table.column(request.time());
        BinaryColumn event = BinaryColumn.of(request.event(), table.text(request.event()), request.eventValue(),
                "event-value", table::line);
        String[] group = request.group() == null ? null : table.text(request.group());
        double[][] columns = new double[request.covariates().size()][];
        for (int j = 0; j < columns.length; j++) {
            columns[j] = table.column(request.covariates().get(j));
        }
        int n = table.rows();
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (time[i] < 0) {
                throw new IllegalArgumentException("line " + table.line(i) + ", column '" + request.time()
                        + "': a follow-up time cannot be negative");
            }
            kept += Double.isNaN(time[i]) || event.missing()[i] ? 0 : 1;
        }
        double[] keptTime = new double[kept];
        boolean[] keptEvent = new boolean[kept];
        String[] keptGroup = group == null ? null : new String[kept];
        double[][] keptCovariates = new double[kept][];
        for (int i = 0, k = 0; i < n; i++) {
            if (Double.isNaN(time[i]) || event.missing()[i]) {
                continue;
            }
            keptTime[k] = time[i];
            keptEvent[k] = event.yes()[i];
            if (group != null) {
                keptGroup[k] = group[i].isEmpty() ? null : group[i];
            }
            double[] row = new double[columns.length];
            for (int j = 0; j < columns.length; j++) {
                row[j] = columns[j][i];
            }
            keptCovariates[k++] = row;
        }
        return new SurvivalData(keptTime, keptEvent, keptGroup, request.group(), request.covariates(),
                keptCovariates, n, n - kept);
    }

    public int subjects() {
        return time.length;
    }
}

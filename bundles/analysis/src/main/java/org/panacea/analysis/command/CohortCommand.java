package org.panacea.analysis.command;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.analysis.internal.CohortRequest;
import org.panacea.analysis.internal.CohortSurvival;
import org.panacea.analysis.internal.ReportText;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.plugins.support.stats.CoxProportionalHazards.Ties;

/** {@code analysis:cohort --condition system|code [--group sex] [--covariates age,sex] [--ties efron]}. */
@Command(scope = "analysis", name = "cohort", description = "Survival from a condition's onset to death of the "
        + "record's patients who have it (research opt-outs excluded; aggregates only)")
@Service
public class CohortCommand implements Action {

    @Reference
    CohortSurvival cohort;

    @Reference
    CallerAuthentication authentication;

    @Reference
    Session session;

    @Option(name = "--condition", description = "The condition, as system|code (e.g. "
            + "http://snomed.info/sct|254637007); users who may read charts may join several with commas",
            required = true)
    String condition;

    @Option(name = "--group", description = "sex: a curve per sex and the log-rank test")
    String group;

    @Option(name = "--covariates", description = "Cox covariates, comma-separated: age, sex")
    String covariates;

    @Option(name = "--ties", description = "efron (default) or breslow")
    String ties;

    @Override
    public Object execute() {
        PrintStream console = session.getConsole();
        try {
            List<String> names = new ArrayList<>();
            if (covariates != null) {
                for (String name : covariates.split(",")) {
                    if (!name.isBlank()) {
                        names.add(name.strip());
                    }
                }
            }
            Ties tieHandling = ties == null || ties.equalsIgnoreCase("efron") ? Ties.EFRON
                    : ties.equalsIgnoreCase("breslow") ? Ties.BRESLOW : null;
            if (tieHandling == null) {
                throw new IllegalArgumentException("--ties must be efron or breslow, was '" + ties + "'");
            }
            CohortRequest request = new CohortRequest(condition, group, names, tieHandling, false);
            console.print(ReportText.survival(cohort.analyse(authentication.consoleUser(), request)));
        } catch (IllegalArgumentException | AccessDeniedException e) {
            console.println(e.getMessage());
        }
        return null;
    }
}

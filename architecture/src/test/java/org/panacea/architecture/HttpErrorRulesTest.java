package org.panacea.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.panacea.architecture.fixture.HandMadeErrors;
import org.panacea.architecture.fixture.ThroughRest;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;

/**
 * The HTTP error rules over the classes of every bundle jar (the test class path holds them all), and over two
 * fixtures of this module that show each rule catches what it is for.
 */
class HttpErrorRulesTest {

    /** A servlet of every bundle that serves HTTP: proof that the import saw each jar. */
    private static final List<String> SERVLETS = List.of(
            "org.panacea.records.http.FhirServlet",
            "org.panacea.dicom.http.DicomWebServlet",
            "org.panacea.analysis.http.AnalysisServlet",
            "org.panacea.engine.http.AlgorithmServlet",
            "org.panacea.engine.http.ModelServlet",
            "org.panacea.security.http.PluginServlet",
            "org.panacea.security.http.KeyServlet",
            "org.panacea.audit.http.AuditEventServlet",
            "org.panacea.audit.http.AuditVerificationServlet",
            "org.panacea.rest.internal.SessionServlet",
            "org.panacea.rest.internal.AuthenticatingContext",
            HttpErrorRules.STATIC_PAGES);

    private static JavaClasses bundles;

    @BeforeAll
    static void importEveryBundle() {
        // The jars on the class path, not this module's own test classes (the fixtures break the rules on purpose).
        bundles = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.panacea");
    }

    @Test
    void theImportHoldsEveryBundle() {
        Set<String> names = bundles.stream().map(JavaClass::getName).collect(Collectors.toSet());
        for (String servlet : SERVLETS) {
            assertTrue(names.contains(servlet), servlet + " was not imported");
        }
        for (String plugin : List.of("compression", "enhancement", "filters", "frequency", "recognition",
                "segmentation", "windowlevel").stream().map(name -> "org.panacea.plugins.imaging." + name + ".")
                .toList()) {
            assertTrue(names.stream().anyMatch(name -> name.startsWith(plugin)), plugin + " was not imported");
        }
        for (String plugin : List.of("deterioration", "diagnosis", "stroke", "survival").stream()
                .map(name -> "org.panacea.plugins.prediction." + name + ".").toList()) {
            assertTrue(names.stream().anyMatch(name -> name.startsWith(plugin)), plugin + " was not imported");
        }
        assertTrue(names.stream().noneMatch(name -> name.startsWith("org.panacea.architecture")),
                "the fixtures are not part of the bundles");
    }

    @Test
    void noCodeOutsideRestHttpSetsAStatus() {
        HttpErrorRules.NO_STATUS_OUTSIDE_REST_HTTP.check(bundles);
    }

    @Test
    void noCodeOutsideRestHttpSendsAnOperationOutcome() {
        HttpErrorRules.NO_OUTCOME_SENT_OUTSIDE_REST_HTTP.check(bundles);
    }

    @Test
    void noCodeOutsideRestHttpBuildsAnOperationOutcome() {
        HttpErrorRules.NO_OUTCOME_BUILT_OUTSIDE_REST_HTTP.check(bundles);
    }

    /** The rules are not empty words: rest.http itself does what they forbid elsewhere, and they see it. */
    @Test
    void theRulesSeeWhatRestHttpDoes() {
        assertTrue(HttpErrorRules.stringConstants(bundles.get("org.panacea.rest.http.HttpProblem"),
                "OperationOutcome").size() > 0, "HttpProblem builds the outcome");
        JavaClass problems = bundles.get("org.panacea.rest.http.Problems");
        assertTrue(problems.getMethodCallsFromSelf().stream().anyMatch(call -> call.getName().equals("setStatus")),
                "Problems sets the status");
    }

    @Test
    void eachRuleCatchesAHandMadeError() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(HandMadeErrors.class, ThroughRest.class);
        for (ArchRule rule : HttpErrorRules.ALL) {
            EvaluationResult result = rule.evaluate(fixtures);
            assertTrue(result.hasViolation(), rule.getDescription());
            List<String> details = result.getFailureReport().getDetails();
            assertTrue(details.stream().allMatch(detail -> detail.contains(HandMadeErrors.class.getName())),
                    "only the hand-made errors break " + rule.getDescription() + ": " + details);
        }
        assertEquals(2, HttpErrorRules.NO_STATUS_OUTSIDE_REST_HTTP.evaluate(fixtures).getFailureReport().getDetails()
                .size(), "setStatus(404) and sendError(500)");
    }
}

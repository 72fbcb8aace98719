package org.panacea.analysis.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.panacea.analysis.internal.CohortSurvival;
import org.panacea.analysis.internal.InMemoryRecords;
import org.panacea.analysis.internal.Json;
import org.panacea.analysis.internal.LungCohort;
import org.panacea.api.audit.AuditAction;
import org.panacea.analysis.internal.TableLimits;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.testsupport.Callers;
import org.panacea.testsupport.FakeRequest;
import org.panacea.testsupport.FakeResponse;
import org.panacea.testsupport.RecordingAuditTrail;
import org.panacea.testsupport.RolePolicy;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The /api/analysis servlet on mocked requests, with the real role policy: lung.csv and MASS_biopsy.csv posted as
 * tables must give R's results (R 4.2.2, survival 3.5-3, MASS 7.3-58.2; keys of the shared r_reference_lung_biopsy.json
 * named at each figure), and every malformed request a FHIR OperationOutcome with the right status; access is decided
 * before a byte of the body is read, and tables are bounded as they stream in.
 */
class AnalysisServletTest {

    private static final double RELATIVE = 1e-6;
    /** R's glm standard errors stop at its own 1e-8 convergence; see LogisticRegressionTest in plugin-support. */
    private static final double RELATIVE_SE = 2e-5;

    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final Callers callers = new Callers();
    private final RolePolicy policy = new RolePolicy(callers, audit);
    private final InMemoryRecords records = new InMemoryRecords(policy);
    private final CohortSurvival cohort = new CohortSurvival(records, policy, audit, callers,
            Clock.fixed(LungCohort.TODAY.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC));
    private AnalysisServlet servlet = new AnalysisServlet(policy, cohort, TableLimits.DEFAULTS, config(1));

    private final Caller clinician = callers.user("dr-house", Role.CLINICIAN, "10.0.0.7");
    private final Caller researcher = callers.user("rita", Role.RESEARCHER, "10.0.0.8");
    private final Caller auditor = callers.user("ann", Role.AUDITOR, "10.0.0.9");

    /** What the servlet answered. */
    private record Answer(int status, String contentType, FakeResponse response, JsonNode body) {

        String diagnostics() {
            return body.path("issue").path(0).path("diagnostics").asText();
        }
    }

    private static AnalysisServlet.Config config(int mebibytes) {
        return new AnalysisServlet.Config() {
            @Override
            public int max_request_mebibytes() {
                return mebibytes;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return AnalysisServlet.Config.class;
            }
        };
    }

    private static byte[] resource(String name) {
        try (InputStream in = AnalysisServletTest.class.getResourceAsStream("/data/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer call(Caller caller, String method, String path, String query, String contentType, long length,
            InputStream body) throws IOException {
        FakeResponse response = new FakeResponse();
        servlet.service(FakeRequest.of(method, path).servletPath("/api/analysis").queryString(query)
                .contentType(contentType).body(body, length).attribute(PanaceaHttp.CALLER_ATTRIBUTE, caller).build(),
                response.response());
        return new Answer(response.status(), response.header("Content-Type"), response,
                Json.MAPPER.readTree(response.bytes()));
    }

    private Answer postCsv(Caller caller, String path, String query, byte[] csv) throws IOException {
        return call(caller, "POST", path, query, "text/csv; charset=utf-8", csv.length, new ByteArrayInputStream(csv));
    }

    private static void assertRelative(double expected, JsonNode actual, double relative, String what) {
        assertTrue(actual.isNumber(), what + " is " + actual);
        assertEquals(expected, actual.asDouble(), Math.abs(expected) * relative, what);
    }

    private static JsonNode byName(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (item.path(field).asText().equals(value)) {
                return item;
            }
        }
        throw new AssertionError("no " + field + " = " + value + " in " + array);
    }

    @Test
    void lungSurvivalEqualsR() throws IOException {
        Answer a = postCsv(clinician, "/survival",
                "time=time&event=status&event-value=2&covariates=age,sex,ph.ecog&group=sex&ties=efron",
                resource("lung.csv"));
        assertEquals(200, a.status(), a.body().toString());
        assertEquals("application/json", a.contentType());
        JsonNode body = a.body();
        assertEquals(228, body.path("rows").path("read").asInt());
        assertEquals(0, body.path("rows").path("droppedMissingTimeOrEvent").asInt());
        // km_lung_sex.table
        JsonNode men = byName(body.path("kaplanMeier").path("groups"), "label", "sex=1");
        assertEquals(138, men.path("subjects").asInt());
        assertEquals(112, men.path("events").asInt());
        assertEquals(270, men.path("median").path("time").asDouble());
        assertEquals(212, men.path("median").path("lower").asDouble());
        assertEquals(310, men.path("median").path("upper").asDouble());
        JsonNode women = byName(body.path("kaplanMeier").path("groups"), "label", "sex=2");
        assertEquals(426, women.path("median").path("time").asDouble());
        assertEquals(348, women.path("median").path("lower").asDouble());
        assertEquals(550, women.path("median").path("upper").asDouble());
        // the first step of km_lung_sex1_full.csv: t = 11, 138 at risk, 3 deaths, S = 0.978260869565217
        JsonNode first = men.path("curve").get(0);
        assertEquals(11, first.path("time").asDouble());
        assertEquals(138, first.path("atRisk").asInt());
        assertEquals(3, first.path("events").asInt());
        assertEquals(0.978260869565217, first.path("survival").asDouble(), 1e-12);
        // logrank_lung_sex
        JsonNode logRank = body.path("logRank");
        assertRelative(10.3267419548856, logRank.path("chiSquare"), RELATIVE, "log-rank chi-square");
        assertRelative(0.00131116452035549, logRank.path("p"), RELATIVE, "log-rank p");
        assertEquals(112, byName(logRank.path("groups"), "label", "sex=1").path("observed").asInt());
        assertRelative(91.5817390295728, byName(logRank.path("groups"), "label", "sex=1").path("expected"),
                RELATIVE, "expected sex=1");
        // cox_lung_efron
        JsonNode cox = body.path("cox");
        assertEquals("efron", cox.path("ties").asText());
        assertEquals(227, cox.path("subjects").asInt());
        assertEquals(164, cox.path("events").asInt());
        assertEquals(1, cox.path("droppedMissingCovariate").asInt());
        String[] names = { "age", "sex", "ph.ecog" };
        double[] coef = { 0.0110667645600735, -0.552612395703631, 0.463728475370428 };
        double[] se = { 0.00926741101370053, 0.167739053787264, 0.113577266161997 };
        double[] z = { 1.19415924724962, -3.29447664826157, 4.08293394480024 };
        double[] p = { 0.232415680999612, 0.000986051372138453, 4.44706665185681e-05 };
        for (int j = 0; j < 3; j++) {
            JsonNode c = cox.path("coefficients").get(j);
            assertEquals(names[j], c.path("name").asText());
            assertRelative(coef[j], c.path("coef"), RELATIVE, "coef " + names[j]);
            assertRelative(se[j], c.path("se"), RELATIVE, "se " + names[j]);
            assertRelative(z[j], c.path("z"), RELATIVE, "z " + names[j]);
            assertRelative(p[j], c.path("p"), RELATIVE, "p " + names[j]);
            assertRelative(Math.exp(coef[j]), c.path("hazardRatio"), RELATIVE, "exp(coef) " + names[j]);
        }
        // summary(fit): sex exp(coef) lower .95 0.4142, upper .95 0.7994
        assertEquals(0.4142, cox.path("coefficients").get(1).path("hazardRatioLower").asDouble(), 5e-5);
        assertEquals(0.7994, cox.path("coefficients").get(1).path("hazardRatioUpper").asDouble(), 5e-5);
        // cox_lung_efron.concordance and concordance_counts
        assertEquals(0.637135493000455, cox.path("concordance").path("value").asDouble(), 1e-12);
        assertEquals(12544, cox.path("concordance").path("concordant").asLong());
        assertEquals(7117, cox.path("concordance").path("discordant").asLong());
        assertEquals(126, cox.path("concordance").path("tiedRisk").asLong());
        assertEquals(28, cox.path("concordance").path("tiedTime").asLong());
        // cox_lung_efron.loglik_null, loglik_fitted, lr_test
        assertRelative(-744.48045576144, cox.path("logLikelihood").path("null"), RELATIVE, "loglik null");
        assertRelative(-729.230121374862, cox.path("logLikelihood").path("fitted"), RELATIVE, "loglik");
        assertRelative(30.5006687731566, cox.path("likelihoodRatio").path("statistic"), RELATIVE, "LR");
        assertRelative(1.0828176991987e-06, cox.path("likelihoodRatio").path("p"), RELATIVE, "LR p");
        assertEquals(3, cox.path("likelihoodRatio").path("df").asInt());
    }

    @Test
    void breslowTiesAreRsToo() throws IOException {
        Answer a = postCsv(researcher, "/survival",
                "time=time&event=status&event-value=2&covariates=age%2Csex%2Cph.ecog&ties=breslow&curve=false",
                resource("lung.csv"));
        assertEquals(200, a.status(), a.body().toString());
        JsonNode cox = a.body().path("cox");
        // cox_lung_breslow
        assertRelative(0.0110411363494885, cox.path("coefficients").get(0).path("coef"), RELATIVE, "age");
        assertRelative(-0.551889569787597, cox.path("coefficients").get(1).path("coef"), RELATIVE, "sex");
        assertRelative(0.462947040590164, cox.path("coefficients").get(2).path("coef"), RELATIVE, "ph.ecog");
        assertRelative(-729.488705176774, cox.path("logLikelihood").path("fitted"), RELATIVE, "loglik");
        // no group: one curve over every row, km_lung_all: median 310 (285, 363); curves left out on request
        JsonNode all = a.body().path("kaplanMeier").path("groups").get(0);
        assertEquals("all", all.path("label").asText());
        assertEquals(310, all.path("median").path("time").asDouble());
        assertEquals(285, all.path("median").path("lower").asDouble());
        assertEquals(363, all.path("median").path("upper").asDouble());
        assertFalse(all.has("curve"));
        assertFalse(a.body().has("logRank"));
    }

    @Test
    void biopsyLogisticEqualsR() throws IOException {
        Answer a = postCsv(clinician, "/logistic", "outcome=class&positive=malignant&covariates=V1,V2,V3,V4,V5,V6,V7,"
                + "V8,V9", resource("MASS_biopsy.csv"));
        assertEquals(200, a.status(), a.body().toString());
        JsonNode body = a.body();
        assertEquals(699, body.path("rows").path("read").asInt());
        assertEquals(683, body.path("rows").path("analysed").asInt());
        assertEquals(16, body.path("rows").path("droppedMissingValue").asInt());
        assertEquals(239, body.path("outcome").path("positives").asInt());
        // logit_biopsy.coef, .se, .z, .p
        String[] names = { "(Intercept)", "V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9" };
        double[] coef = { -10.103942243323, 0.535014068075587, -0.00627971684423038, 0.322706495746473,
                0.330636915299499, 0.0966354170982306, 0.383024572408632, 0.44718791995587, 0.213030681597177,
                0.534835631040543 };
        double[] se = { 1.17487744041635, 0.14201743327585, 0.209077391207985, 0.230600652052691, 0.123450889253152,
                0.156592357889231, 0.0938432725852356, 0.171382379666008, 0.112873475573187, 0.328773893383373 };
        double[] p = { 7.97183129083253e-18, 0.000165060846870837, 0.976038844551392, 0.161687941988407,
                0.00739997749652048, 0.537159194916633, 4.47392984948016e-05, 0.00907278545956723,
                0.0591145426852212, 0.103788459915898 };
        for (int j = 0; j < names.length; j++) {
            JsonNode c = body.path("coefficients").get(j);
            assertEquals(names[j], c.path("name").asText());
            assertRelative(coef[j], c.path("estimate"), RELATIVE, "coef " + names[j]);
            assertRelative(se[j], c.path("se"), RELATIVE_SE, "se " + names[j]);
            // p follows z, whose SE differs from R's by up to 2e-5; near z = 8.6 that moves p by up to 1.5e-3
            assertRelative(p[j], c.path("p"), j == 0 ? 2e-3 : 2e-4, "p " + names[j]);
        }
        // logit_biopsy.aic, .deviance, .null_deviance, .df_residual, .train_auc
        assertRelative(122.888191162019, body.path("aic"), RELATIVE, "AIC");
        assertRelative(102.888191162019, body.path("deviance"), RELATIVE, "deviance");
        assertRelative(884.350188910622, body.path("nullDeviance"), RELATIVE, "null deviance");
        assertEquals(673, body.path("dfResidual").asInt());
        assertEquals(0.996324776659505, body.path("auc").path("value").asDouble(), 1e-9);
    }

    @Test
    void aMissingColumnIsA400NamingIt() throws IOException {
        Answer a = postCsv(clinician, "/survival", "time=time&event=status&event-value=2&covariates=age,ph.ecg",
                resource("lung.csv"));
        assertEquals(400, a.status());
        assertEquals("application/fhir+json", a.contentType());
        assertEquals("OperationOutcome", a.body().path("resourceType").asText());
        // the column asked for, never the header's text
        assertEquals("no column 'ph.ecg' in the table's header (line 1, 10 columns)", a.diagnostics());
    }

    @Test
    void aValueThatIsNotANumberIsA400NamingLineAndColumnNotTheValue() throws IOException {
        byte[] csv = "time,status,age\n5,2,60\n7 days,1,61\n".getBytes(StandardCharsets.UTF_8);
        Answer a = postCsv(clinician, "/survival", "time=time&event=status&event-value=2", csv);
        assertEquals(400, a.status());
        assertEquals("line 3, column 'time': not a number", a.diagnostics());
        Answer b = postCsv(clinician, "/logistic", "outcome=status&positive=2&covariates=age",
                "status,age\n2,60\n1,sixty\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, b.status());
        assertEquals("line 3, column 'age': not a number", b.diagnostics());
    }

    @Test
    void malformedRequestsAre400sThatSayWhy() throws IOException {
        byte[] lung = resource("lung.csv");
        Answer unknown = postCsv(clinician, "/survival", "time=time&event=status&covariate=age", lung);
        assertEquals(400, unknown.status());
        assertTrue(unknown.diagnostics().startsWith("unknown parameter 'covariate'"), unknown.diagnostics());
        Answer noTime = postCsv(clinician, "/survival", "event=status", lung);
        assertEquals(400, noTime.status());
        assertTrue(noTime.diagnostics().contains("'time' is required"), noTime.diagnostics());
        Answer noEvent = postCsv(clinician, "/survival", "time=time&event=status&event-value=dead", lung);
        assertEquals(400, noEvent.status());
        assertEquals("no row has status = dead (event-value); the column takes 2 other values",
                noEvent.diagnostics());
        Answer threeValued = postCsv(clinician, "/logistic", "outcome=ph.ecog&covariates=age", lung);
        assertEquals(400, threeValued.status());
        assertTrue(threeValued.diagnostics().matches("line \\d+, column 'ph.ecog': a third value; .*"),
                threeValued.diagnostics());
        Answer ties = postCsv(clinician, "/survival", "time=time&event=status&event-value=2&ties=exact", lung);
        assertEquals(400, ties.status());
        assertTrue(ties.diagnostics().contains("efron or breslow"), ties.diagnostics());
        Answer collinear = postCsv(clinician, "/survival", "time=time&event=status&event-value=2&covariates=sex,sex2",
                "time,status,sex,sex2\n1,2,1,2\n2,2,2,4\n3,1,1,2\n4,2,2,4\n5,2,1,2\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, collinear.status());
        assertTrue(collinear.diagnostics().startsWith("Cox model: ") && collinear.diagnostics().contains("collinear"),
                collinear.diagnostics());
    }

    @Test
    void onlyCsvIsTakenAndOnlyUpToTheLimit() throws IOException {
        byte[] lung = resource("lung.csv");
        Answer json = call(clinician, "POST", "/survival", "time=time&event=status", "application/json", lung.length,
                new ByteArrayInputStream(lung));
        assertEquals(415, json.status());
        assertTrue(json.diagnostics().contains("text/csv"), json.diagnostics());
        Answer declared = call(clinician, "POST", "/survival", "time=time&event=status", "text/csv",
                2L * 1024 * 1024, new ByteArrayInputStream(lung));
        assertEquals(413, declared.status());
        assertEquals("the body is larger than 1 MiB", declared.diagnostics());
        // a body of unknown length is read as it streams in and stopped at the limit, not buffered whole
        long[] served = { 0 };
        InputStream endless = new InputStream() {
            private final byte[] row = "1,2\n".getBytes(StandardCharsets.UTF_8);

            @Override
            public int read() {
                return row[(int) (served[0]++ % row.length)];
            }
        };
        Answer streamed = call(clinician, "POST", "/survival", "time=time&event=status", "text/csv", -1,
                new SequenceOf("time,status\n".getBytes(StandardCharsets.UTF_8), endless));
        assertEquals(413, streamed.status());
        assertTrue(served[0] < 1024 * 1024 + 128 * 1024, served[0] + " bytes read");
    }

    @Test
    void accessFollowsThePolicy() throws IOException {
        byte[] lung = resource("lung.csv");
        Answer refused = postCsv(auditor, "/survival", "time=time&event=status&event-value=2", lung);
        assertEquals(403, refused.status());
        assertEquals(AuditAction.ACCESS_DENIED, audit.events().get(audit.events().size() - 1).action());
        Answer allowed = postCsv(researcher, "/logistic", "outcome=status&positive=2&covariates=age", lung);
        assertEquals(200, allowed.status(), allowed.body().toString());
    }

    @Test
    void unknownPathsAndMethodsAreRefused() throws IOException {
        Answer notFound = postCsv(clinician, "/anova", "", new byte[0]);
        assertEquals(404, notFound.status());
        Answer get = call(clinician, "GET", "/survival", "time=time&event=status", null, -1,
                new ByteArrayInputStream(new byte[0]));
        assertEquals(405, get.status());
        assertEquals("POST", get.response().header("Allow"));
    }

    @Test
    void cohortSurvivalOverHttp() throws IOException {
        LungCohort.load(records);
        byte[] request = ("{\"condition\": \"" + LungCohort.LUNG_CANCER + "\", \"event\": \"death\", "
                + "\"group\": \"sex\", \"covariates\": [\"age\", \"sex\"], \"curve\": false}")
                        .getBytes(StandardCharsets.UTF_8);
        Answer a = call(researcher, "POST", "/cohort/survival", null, "application/json", request.length,
                new ByteArrayInputStream(request));
        assertEquals(200, a.status(), a.body().toString());
        assertEquals(228, a.body().path("cohort").path("analysed").asInt());
        assertTrue(a.body().path("cohort").path("aggregateOnly").asBoolean());
        assertEquals(426, byName(a.body().path("kaplanMeier").path("groups"), "label", "sex=female")
                .path("median").path("time").asDouble());
        assertRelative(10.3267419548856, a.body().path("logRank").path("chiSquare"), RELATIVE, "log-rank");
        assertFalse(a.body().toString().contains("lung-"));

        Answer malformed = call(researcher, "POST", "/cohort/survival", null, "application/json", 5,
                new ByteArrayInputStream("{\"con".getBytes(StandardCharsets.UTF_8)));
        assertEquals(400, malformed.status());
        assertEquals("the body is not JSON (line 1, column 6)", malformed.diagnostics());
        Answer csv = call(researcher, "POST", "/cohort/survival", null, "text/csv", request.length,
                new ByteArrayInputStream(request));
        assertEquals(415, csv.status());

        audit.failing(true);
        Answer unaudited = call(researcher, "POST", "/cohort/survival", null, "application/json", request.length,
                new ByteArrayInputStream(request));
        assertEquals(503, unaudited.status());
        assertFalse(unaudited.body().has("cohort"));
    }

    /** A body that counts what is read of it. */
    private static final class Watched extends InputStream {
        private final ByteArrayInputStream body;
        long read;

        Watched(byte[] body) {
            this.body = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            int b = body.read();
            read += b < 0 ? 0 : 1;
            return b;
        }
    }

    @Test
    void accessIsDecidedBeforeAByteOfTheBodyIsRead() throws IOException {
        byte[] lung = resource("lung.csv");
        byte[] cohortRequest = ("{\"condition\": \"" + LungCohort.LUNG_CANCER + "\"}").getBytes(StandardCharsets.UTF_8);
        Caller forged = new Caller("rita", Set.of(Role.RESEARCHER), "10.0.0.8");
        for (Caller refused : List.of(auditor, forged)) {
            for (String[] request : new String[][] { { "/survival", "time=time&event=status", "text/csv" },
                { "/logistic", "outcome=status&covariates=age", "text/csv" },
                { "/cohort/survival", null, "application/json" }, { "/cohort/survival", null, "text/plain" },
                { "/survival", "time=time&event=status", "application/json" } }) {
                byte[] bytes = request[0].startsWith("/cohort") ? cohortRequest : lung;
                Watched body = new Watched(bytes);
                Answer a = call(refused, "POST", request[0], request[1], request[2], bytes.length, body);
                assertEquals(403, a.status(), request[0] + " " + request[2] + ": " + a.body());
                assertEquals(0, body.read, request[0] + ": bytes of the body read before the refusal");
            }
        }
    }

    @Test
    void tablesOverALimitAre413sNamingIt() throws IOException {
        servlet = new AnalysisServlet(policy, cohort, new TableLimits(100, 5, 96), config(1));
        Answer rows = postCsv(researcher, "/survival", "time=time&event=status&event-value=2", resource("lung.csv"));
        assertEquals(413, rows.status());
        assertEquals("the table's header has more than 5 columns (limit max.columns in etc/org.panacea.analysis.cfg)",
                rows.diagnostics());
        byte[] narrow = "time,status\n".concat("5,2\n".repeat(101)).getBytes(StandardCharsets.UTF_8);
        Answer tall = postCsv(researcher, "/survival", "time=time&event=status&event-value=2", narrow);
        assertEquals(413, tall.status());
        assertEquals("the table has more than 100 lines after its header (limit max.rows in "
                + "etc/org.panacea.analysis.cfg)", tall.diagnostics());
        Answer wide = postCsv(researcher, "/logistic", "outcome=status&positive=2&covariates=time",
                ("time,status\n5,2\n6," + "1".repeat(100) + "\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(413, wide.status());
        assertEquals("line 3 is longer than 96 characters (limit max.line.characters in "
                + "etc/org.panacea.analysis.cfg)", wide.diagnostics());
        // at the limits: answered
        Answer fits = postCsv(researcher, "/survival", "time=time&event=status&event-value=2",
                "time,status\n".concat("5,2\n6,1\n".repeat(50)).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, fits.status(), fits.body().toString());

        // counted as the rows stream in: an endless body stops soon after the limit, well inside the size limit
        long[] served = { 0 };
        InputStream endless = new InputStream() {
            private final byte[] row = "1,2\n".getBytes(StandardCharsets.UTF_8);

            @Override
            public int read() {
                return row[(int) (served[0]++ % row.length)];
            }
        };
        Answer streamed = call(researcher, "POST", "/survival", "time=time&event=status", "text/csv", -1,
                new SequenceOf("time,status\n".getBytes(StandardCharsets.UTF_8), endless));
        assertEquals(413, streamed.status());
        assertTrue(streamed.diagnostics().contains("max.rows"), streamed.diagnostics());
        assertTrue(served[0] < 64 * 1024, served[0] + " bytes read");
    }

    @Test
    void codesJoinedByCommasAreAClinicianQuestion() throws IOException {
        LungCohort.load(records);
        byte[] request = ("{\"condition\": \"" + LungCohort.LUNG_CANCER + ",http://snomed.info/sct|93880001\", "
                + "\"curve\": false}").getBytes(StandardCharsets.UTF_8);
        Answer researchers = call(researcher, "POST", "/cohort/survival", null, "application/json", request.length,
                new ByteArrayInputStream(request));
        assertEquals(403, researchers.status());
        assertTrue(researchers.diagnostics().contains("one Condition code"), researchers.diagnostics());
        Answer clinicians = call(clinician, "POST", "/cohort/survival", null, "application/json", request.length,
                new ByteArrayInputStream(request));
        assertEquals(200, clinicians.status(), clinicians.body().toString());
        assertEquals(228, clinicians.body().path("cohort").path("analysed").asInt());
    }

    /** Two streams one after the other. */
    private static final class SequenceOf extends java.io.SequenceInputStream {
        SequenceOf(byte[] first, InputStream second) {
            super(new ByteArrayInputStream(first), second);
        }
    }
}

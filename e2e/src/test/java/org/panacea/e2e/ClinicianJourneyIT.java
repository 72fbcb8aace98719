package org.panacea.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A clinician's day in the web pages, in order: log in (a wrong password is answered on the page, not by the
 * browser's dialog), find the patient a CT was stored for, read the chart, open the study in the viewer with HU
 * presets, run a Gaussian blur and see source and result side by side, classify it with the example ONNX model and
 * see the top classes and the heat map over the image (switched off and on), import a multi-frame image and scroll its
 * frames, and ask the lung-cancer survival model with its explanation.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClinicianJourneyIT {

    private static Browser browser;
    private static JsonNode ct;

    @BeforeAll
    static void start() throws Exception {
        browser = new Browser();
        Panacea.awaitReady();
        ct = Panacea.stow("CT_small.dcm");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    @Order(1)
    void theLoginPageLoadsWithoutCredentialsAndAWrongPasswordIsAnsweredOnThePage() throws Exception {
        browser.open("");
        WebElement user = browser.labelled("User name");
        assertEquals(user, browser.driver().switchTo().activeElement(), "the user name has the focus");
        user.sendKeys("clinician" + Keys.TAB);
        WebElement password = browser.labelled("Password");
        assertEquals(password, browser.driver().switchTo().activeElement(), "Tab goes on to the password");
        password.sendKeys("not-the-password" + Keys.ENTER);
        browser.text("The user name or the password is wrong.");
        browser.screenshot("01-login-refused");
        browser.logIn("clinician");
        assertTrue(browser.driver().getCurrentUrl().endsWith("#/patients"), browser.driver().getCurrentUrl());
        browser.text("clinician (clinician)");
    }

    @Test
    @Order(2)
    void aPatientIsFoundByFamilyName() throws Exception {
        WebElement family = browser.labelled("Family name");
        family.sendKeys("compressedsamples" + Keys.ENTER);
        WebElement link = browser.visible(By.linkText("CompressedSamples, CT1"));
        browser.text("1 patient; showing 1–1.");
        browser.screenshot("02-patient-search");
        link.click();
        browser.visible(By.xpath("//h1[normalize-space(.)='CompressedSamples, CT1']"));
    }

    @Test
    @Order(3)
    void theChartListsTheImagingStudy() throws Exception {
        browser.visible(By.xpath("//table[caption[starts-with(normalize-space(.), 'Series of study "
                + ct.path("studyInstanceUid").asText() + "')]]"));
        browser.text("No conditions recorded.");
        browser.screenshot("03-chart-ct-patient");
    }

    @Test
    @Order(4)
    void theViewerShowsTheCtWithHuPresetsZoomAndPan() throws Exception {
        browser.all(By.xpath("//a[normalize-space(.)='Open in viewer']")).get(0).click();
        WebElement caption = browser.text("Source, frame 1, window 40/400 HU");
        WebElement canvas = browser.driver().findElement(By.cssSelector("figure.viewport canvas"));
        browser.waiting(10).until(d -> browser.painted(canvas));
        browser.button("Lung -600/1500").click();
        browser.waiting(10).until(d -> caption.getText().contains("window -600/1500 HU"));
        assertEquals("true", browser.button("Lung -600/1500").getAttribute("aria-pressed"));
        canvas.click();
        canvas.sendKeys("++");
        canvas.sendKeys(Keys.ARROW_LEFT);
        browser.button("Soft tissue 40/400").click();
        browser.waiting(10).until(d -> caption.getText().contains("window 40/400 HU"));
        browser.screenshot("04-viewer-ct-zoomed");
        browser.button("Fit").click();
    }

    @Test
    @Order(5)
    void aGaussianBlurRunsAndItsResultIsShownBesideTheSource() throws Exception {
        Select algorithm = new Select(browser.labelled("Algorithm"));
        assertEquals("imaging.gaussian-blur", algorithm.getFirstSelectedOption().getAttribute("value"));
        WebElement sigma = browser.labelled("sigma");
        assertEquals("2", sigma.getAttribute("value"), "the schema's default");
        sigma.clear();
        sigma.sendKeys("3");
        browser.button("Run on this frame").click();
        browser.text("Gaussian blur finished in", 90);
        WebElement result = browser.visible(By.xpath("//figure[figcaption[starts-with(normalize-space(.), 'Result: Gaussian blur')]]//canvas"));
        browser.waiting(15).until(d -> browser.painted(result));
        browser.text("sigma = 3");
        assertTrue(browser.driver().findElement(By.cssSelector(".viewports")).getAttribute("class").contains("side-by-side"));
        browser.screenshot("05-algorithm-result");
        browser.resize(Browser.TABLET);
        browser.screenshot("05b-algorithm-result-tablet");
        browser.resize(Browser.DESKTOP);
    }

    @Test
    @Order(6)
    void anOutOfRangeParameterIsRefusedWithTheAllowedRange() throws Exception {
        WebElement sigma = browser.labelled("sigma");
        sigma.clear();
        sigma.sendKeys("500");
        browser.button("Run on this frame").click();
        // The browser's own validation names the range before anything is sent.
        String validation = (String) browser.script("return arguments[0].validationMessage;", sigma);
        assertFalse(validation.isEmpty(), "the field reports why it is invalid");
        assertTrue(browser.all(By.cssSelector(".message.error")).isEmpty());
        sigma.clear();
        sigma.sendKeys("2");
    }

    @Test
    @Order(7)
    void anOnnxClassificationShowsItsTopClassesAndItsHeatMapOverTheImage() throws Exception {
        new Select(browser.labelled("Algorithm")).selectByValue("onnx.phantom-classifier");
        browser.text("Intended use: Demonstration of ONNX model plugins only");
        browser.button("Run on this frame").click();
        // 65 runs of the network: the classification and its occlusion map.
        browser.text("Phantom classifier (ONNX, demonstration) finished in", 120);
        // Python ONNX Runtime on the same file (onnx-examples' CT_small-phantom-classifier.json): disc 0.5308,
        // square 0.4692, background 6.7e-30.
        browser.visible(By.xpath("//h2[normalize-space(.)='Classification: disc (53.1 %)']"));
        List<WebElement> classes = browser.all(By.cssSelector("ol.top-classes li"));
        assertEquals(List.of("disc 53.1 %", "square 46.9 %", "background 0.0 %"),
                classes.stream().map(c -> c.getText().replaceAll("\\s+", " ").trim()).toList());
        WebElement toggle = browser.labelled("Show heat map over the image");
        browser.text("it drove the result");
        WebElement source = browser.driver().findElement(By.cssSelector("figure.viewport canvas"));
        // The CT is drawn in grey (red = green = blue): coloured pixels are the overlay's.
        browser.waiting(15).until(d -> colouredPixels(source) > 0);
        long coloured = colouredPixels(source);
        assertTrue(browser.driver().findElement(By.cssSelector("figure.viewport:last-child")).getAttribute("hidden")
                != null, "the map is drawn over the source, not beside it");
        browser.screenshot("07-onnx-classification-heat-map");
        toggle.click();
        browser.waiting(5).until(d -> colouredPixels(source) == 0);
        assertTrue(browser.painted(source), "the image stays when the heat map is switched off");
        toggle.click();
        browser.waiting(5).until(d -> colouredPixels(source) == coloured);
        new Select(browser.labelled("Algorithm")).selectByValue("imaging.gaussian-blur");
    }

    /** Pixels of the canvas whose red, green and blue differ: colour, where a grey image is drawn. */
    private static long colouredPixels(WebElement canvas) {
        return ((Number) browser.script("const c = arguments[0]; const d = c.getContext('2d')"
                + ".getImageData(0, 0, c.width, c.height).data; let n = 0;"
                + "for (let i = 0; i < d.length; i += 4) { const hi = Math.max(d[i], d[i+1], d[i+2]);"
                + " const lo = Math.min(d[i], d[i+1], d[i+2]); if (hi - lo > 24) n++; } return n;", canvas)).longValue();
    }

    @Test
    @Order(8)
    void aMultiFrameImageIsImportedAndItsFramesCanBeScrolled() throws Exception {
        browser.visible(By.linkText("Import")).click();
        WebElement files = browser.labelled("DICOM files");
        files.sendKeys(Path.of(ClinicianJourneyIT.class.getResource("/dicom/rtdose.dcm").toURI()).toString());
        browser.button("Import images").click();
        browser.text("1 of 1 imported.", 60);
        // The row says what the archive answered (the PS3.18 store response): stored, as which instance.
        browser.text("instance 1.9.999.999.99.9.9999.9999.20030818153516");
        browser.screenshot("06a-import");
        browser.visible(By.linkText("Open chart")).click();
        browser.visible(By.xpath("//a[normalize-space(.)='Open in viewer']")).click();
        browser.text("Source, frame 1");
        browser.button("Image's own").click();
        WebElement next = browser.driver().findElement(By.xpath("//button[@aria-label='Next frame']"));
        for (int frame = 2; frame <= 15; frame++) {
            next.click();
            String expected = "Frame " + frame;
            browser.waiting(10).until(d -> d.findElement(By.xpath("//span[@aria-live='polite'][starts-with(normalize-space(.), 'Frame ')]")).getText().startsWith(expected));
        }
        next.click();
        browser.text("Frame 15 of 15 (last frame)", 10);
        WebElement canvas = browser.driver().findElement(By.cssSelector("figure.viewport canvas"));
        canvas.sendKeys(Keys.PAGE_UP);
        browser.text("Frame 14 of 15", 10);
        browser.screenshot("06-viewer-frames");
    }

    @Test
    @Order(9)
    void theSurvivalModelPredictsAndExplainsItsPrediction() throws Exception {
        browser.open("#/patients/" + Panacea.id(ct.path("patient").asText()) + "/predict");
        Select model = new Select(browser.labelled("Model"));
        assertEquals("prediction.survival.lung-cox", model.getFirstSelectedOption().getAttribute("value"));
        browser.text("Model card");
        browser.text("NCCTG advanced lung cancer");
        browser.labelled("age").sendKeys("68");
        browser.labelled("sex").sendKeys("1");
        browser.labelled("ph_ecog").sendKeys("1");
        browser.button("Predict").click();
        browser.text("Explanation: what drove this prediction", 60);
        List<WebElement> rows = browser.all(By.xpath("//table[caption[normalize-space(.)='Contribution of each input']]/tbody/tr"));
        assertEquals(3, rows.size(), "one contribution per input");
        WebElement chart = browser.driver().findElement(By.cssSelector(".explanation-box canvas"));
        assertEquals(3L, browser.script("return Chart.getChart(arguments[0]).data.datasets[0].data.length;", chart));
        browser.text("RiskAssessment/");
        browser.screenshot("07-prediction-explained");
    }

    @Test
    @Order(10)
    void aDemoPatientsObservationsArePlottedPerLoincCode() throws Exception {
        JsonNode observations = Panacea.await("clinician", "/fhir/Observation?code=http%3A%2F%2Floinc.org%7C8867-4&_count=1",
                body -> body.path("total").asInt() > 0, Duration.ofSeconds(90));
        String patient = Panacea.id(observations.path("entry").get(0).path("resource").path("subject").path("reference").asText());
        browser.open("#/patients/" + patient);
        WebElement chooser = browser.labelled("Show over time");
        new Select(chooser).selectByValue("8867-4");
        WebElement canvas = browser.visible(By.cssSelector(".chart-box canvas"));
        browser.waiting(10).until(d -> ((Number) browser.script(
                "const c = Chart.getChart(arguments[0]); return c ? c.data.datasets[0].data.length : 0;", canvas)).intValue() > 0);
        assertTrue(((String) browser.script("return Chart.getChart(arguments[0]).data.datasets[0].label;", canvas))
                .startsWith("Heart rate"));
        browser.text("Latest values");
        browser.screenshot("08-chart-observations");
        browser.resize(Browser.TABLET);
        browser.screenshot("08b-chart-observations-tablet");
        browser.resize(Browser.DESKTOP);
    }

    @Test
    @Order(11)
    void aChartClosedToTheClinicianOpensThroughTheBreakGlassDialog() throws Exception {
        // The demo clinician's Practitioner (demo data); a patient whose consent denies sharing with it, which closes
        // the chart even where a care relationship exists (here, the test distribution's department rule).
        JsonNode practitioners = Panacea.await("clinician", "/fhir/Practitioner?identifier=urn%3Apanacea%3Auser%7C"
                + "clinician", body -> body.path("total").asInt() > 0, Duration.ofSeconds(90));
        String practitioner = practitioners.path("entry").get(0).path("resource").path("id").asText();
        String patient = Panacea.post("clinician", "/fhir/Patient", "{\"resourceType\": \"Patient\", \"name\": "
                + "[{\"family\": \"Glassbreak\", \"given\": [\"Greta\"]}], \"gender\": \"female\", "
                + "\"birthDate\": \"1940-05-05\"}").path("id").asText();
        Panacea.post("clinician", "/fhir/Consent", ("{\"resourceType\": \"Consent\", \"status\": \"active\", "
                + "\"scope\": {\"coding\": [{\"system\": \"http://terminology.hl7.org/CodeSystem/consentscope\", "
                + "\"code\": \"patient-privacy\"}]}, \"category\": [{\"coding\": [{\"system\": \"http://loinc.org\", "
                + "\"code\": \"59284-0\"}]}], \"patient\": {\"reference\": \"Patient/%s\"}, "
                + "\"provision\": {\"type\": \"deny\", \"actor\": [{\"role\": {\"coding\": [{\"system\": "
                + "\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\", \"code\": \"PRCP\"}]}, "
                + "\"reference\": {\"reference\": \"Practitioner/%s\"}}]}}").formatted(patient, practitioner));

        browser.open("#/patients/" + patient);
        browser.text("You have no care relationship with this patient");
        WebElement reason = browser.labelled("Reason for opening this chart");
        browser.screenshot("09-break-glass-dialog");
        reason.sendKeys("Patient collapsed in the waiting room");
        browser.button("Break the glass and open the chart").click();
        browser.visible(By.xpath("//h1[normalize-space(.)='Glassbreak, Greta']"));
        browser.screenshot("09b-chart-after-break-glass");
    }

    @Test
    @Order(12)
    void pagesOfOtherRolesAreNotOffered() throws Exception {
        assertTrue(browser.all(By.linkText("Audit trail")).isEmpty());
        browser.open("#/audit");
        browser.text("This page is for auditor accounts only.");
        browser.logOut();
    }
}

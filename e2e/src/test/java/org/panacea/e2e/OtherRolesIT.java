package org.panacea.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;

/** The researcher's, the auditor's and the administrator's pages; each role sees only its own. */
class OtherRolesIT {

    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        browser = new Browser();
        Panacea.awaitReady();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void logOut() {
        if (!browser.all(By.id("logout")).isEmpty() && browser.driver().findElement(By.id("logout")).isDisplayed()) {
            browser.logOut();
        }
    }

    private List<String> navigation() {
        return browser.all(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList();
    }

    @Test
    void theAuditorSeesTheTrailFiltersItAndTheChainIsVerified() throws Exception {
        browser.logIn("auditor");
        assertEquals(List.of("Audit trail", "Alerts"), navigation());
        browser.text("Intact:", 60);
        browser.labelled("Actor").sendKeys("clinician");
        new Select(browser.labelled("Action")).selectByValue("LOGIN");
        browser.button("Show entries").click();
        WebElement table = browser.visible(By.xpath("//table[caption[contains(normalize-space(.), 'entries')]]"));
        List<WebElement> actions = table.findElements(By.xpath("./tbody/tr/td[5]"));
        assertTrue(!actions.isEmpty() && actions.stream().allMatch(cell -> cell.getText().equals("LOGIN")));
        List<WebElement> actors = table.findElements(By.xpath("./tbody/tr/td[3]"));
        assertTrue(actors.stream().allMatch(cell -> cell.getText().equals("clinician")));
        browser.button("Verify the chain now").click();
        browser.text("Intact:", 60);
        browser.screenshot("10-audit-trail");
    }

    @Test
    void theAuditorAcknowledgesAnAlertOnTheAlertsPage() throws Exception {
        // Failed logins until the login throttle starts refusing: the FAILED_LOGINS rule raises an alert.
        String intruder = "intruder-" + System.nanoTime();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 6; i++) {
            http.send(HttpRequest.newBuilder(URI.create(Panacea.BASE_URL + "/api/session"))
                    .header("Authorization", Panacea.basic(intruder)).GET().build(), HttpResponse.BodyHandlers.discarding());
        }
        JsonNode alerts = Panacea.await("auditor", "/api/alerts", body -> body.toString().contains(intruder),
                Duration.ofSeconds(60));
        String id = "";
        for (JsonNode alert : alerts.get("alerts")) {
            if (alert.get("actor").asText().equals(intruder)) {
                id = alert.get("id").asText();
                assertEquals("FAILED_LOGINS", alert.get("rule").asText());
            }
        }

        browser.logIn("auditor");
        browser.open("#/alerts");
        WebElement row = browser.visible(By.xpath("//tr[td[normalize-space(.)=" + Browser.literal(intruder) + "]]"), 30);
        assertTrue(row.getText().contains("failed logins"), row.getText());
        row.findElement(By.xpath(".//input[@name='note']")).sendKeys("a pen test announced by IT");
        browser.screenshot("12-alerts");
        row.findElement(By.xpath(".//button[normalize-space(.)='Acknowledge']")).click();
        browser.text("Alert " + id + " acknowledged.", 30);
        assertTrue(browser.all(By.xpath("//tr[td[normalize-space(.)=" + Browser.literal(intruder) + "]]")).isEmpty(),
                "no longer among the open alerts");
        new Select(browser.labelled("Show")).selectByValue("all");
        browser.button("Show").click();
        WebElement settled = browser.visible(By.xpath("//tr[td[normalize-space(.)=" + Browser.literal(intruder) + "]]"), 30);
        assertTrue(settled.getText().contains("auditor") && settled.getText().contains("a pen test announced by IT"),
                settled.getText());
    }

    @Test
    void theAdministratorSeesThePluginsWithTheirSignaturesAndTheKeyVersions() throws Exception {
        browser.logIn("admin");
        assertEquals(List.of("Administration"), navigation());
        WebElement plugins = browser.visible(By.xpath("//table[caption[contains(normalize-space(.), 'plugin bundles')]]"));
        String text = plugins.getText();
        assertTrue(text.contains("imaging.gaussian-blur") && text.contains("prediction.survival.lung-cox"), text);
        assertTrue(plugins.findElements(By.xpath(".//span[contains(@class,'badge')][normalize-space(.)='not trusted']")).isEmpty(),
                "every shipped plugin is signed by a trusted vendor");
        WebElement keys = browser.visible(By.xpath("//table[caption[starts-with(normalize-space(.), 'Key-encryption key versions')]]"));
        assertTrue(keys.getText().contains("active"), keys.getText());
        browser.screenshot("11-administration");
    }

    @Test
    void theResearcherAnalysesACohortOrIsToldTheServiceIsMissing() throws Exception {
        browser.logIn("researcher");
        assertEquals(List.of("Research"), navigation());
        browser.button("Analyse cohort").click();
        browser.waiting(120).until(d -> !d.findElements(By.xpath("//h2[starts-with(normalize-space(.), 'Results:')]")).isEmpty()
                || !d.findElements(By.xpath("//*[contains(normalize-space(.), 'analysis service is not installed')]")).isEmpty()
                // a researcher's cohort is cut to classes of at least 5 patients: a small demo cohort may have none
                || !d.findElements(By.xpath("//*[contains(normalize-space(.), 'in a group of at least 5 patients')]")).isEmpty());
        browser.screenshot("09-research");
        browser.open("#/patients");
        browser.text("This page is for clinician or nurse accounts only.");
    }
}

package org.panacea.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium (the system's {@code chromium} and {@code chromedriver}) with a fresh profile, at 1280x800, and
 * helpers to find controls by their label, wait, and take full-page screenshots into {@code target/screenshots}.
 */
final class Browser implements AutoCloseable {

    static final Dimension DESKTOP = new Dimension(1280, 800);
    static final Dimension TABLET = new Dimension(768, 1024);

    private final ChromeDriver driver;
    private final Path profile;
    private final Path screenshots = Path.of(System.getProperty("panacea.e2e.screenshots", "target/screenshots"));

    Browser() throws IOException {
        String binary = System.getProperty("panacea.e2e.browser", "/usr/bin/chromium");
        String driverPath = System.getProperty("panacea.e2e.driver", "/usr/bin/chromedriver");
        boolean present = Files.isExecutable(Path.of(binary)) && Files.isExecutable(Path.of(driverPath));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI needs " + binary + " and " + driverPath
                    + " (Debian's chromium and chromium-driver; .ci/run installs them as root)");
        }
        assumeTrue(present, "no " + binary + " / " + driverPath + ": the browser tests are skipped "
                + "(apt-get install chromium chromium-driver)");
        Path profiles = Path.of(System.getProperty("panacea.e2e.profiles", "target/browser-profiles"));
        Files.createDirectories(profiles);
        Files.createDirectories(screenshots);
        profile = Files.createTempDirectory(profiles, "profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile,
                "--window-size=" + DESKTOP.width + "," + DESKTOP.height, "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driverPath)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(DESKTOP);
    }

    ChromeDriver driver() {
        return driver;
    }

    void open(String hashRoute) {
        driver.get(Panacea.BASE_URL + "/ui/" + hashRoute);
    }

    WebDriverWait waiting(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds));
    }

    WebElement visible(By by) {
        return waiting(30).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    WebElement visible(By by, int seconds) {
        return waiting(seconds).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** The control whose label starts with {@code text} (labels also hold a hint). */
    WebElement labelled(String text) {
        WebElement label = visible(By.xpath("//label[starts-with(normalize-space(.), " + literal(text) + ")]"));
        return driver.findElement(By.id(label.getAttribute("for")));
    }

    WebElement button(String text) {
        return visible(By.xpath("//button[normalize-space(.)=" + literal(text) + "] | //a[normalize-space(.)="
                + literal(text) + "]"));
    }

    WebElement text(String contained) {
        return visible(By.xpath("//*[contains(normalize-space(.), " + literal(contained) + ") and not(*[contains("
                + "normalize-space(.), " + literal(contained) + ")])]"));
    }

    WebElement text(String contained, int seconds) {
        return visible(By.xpath("//*[contains(normalize-space(.), " + literal(contained) + ") and not(*[contains("
                + "normalize-space(.), " + literal(contained) + ")])]"), seconds);
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** Whether the canvas shows something other than black: the image (or chart) was drawn. */
    boolean painted(WebElement canvas) {
        return (Boolean) script("const c = arguments[0]; const g = c.getContext('2d');"
                + "const d = g.getImageData(0, 0, c.width, c.height).data;"
                + "for (let i = 0; i < d.length; i += 4) { if (d[i] > 24 || d[i+1] > 24 || d[i+2] > 24) return true; }"
                + "return false;", canvas);
    }

    /** Full-page screenshot at the current width: the window grows to the page's height for the shot. */
    Path screenshot(String name) throws IOException {
        Dimension size = driver.manage().window().getSize();
        // The window's own frame takes part of its height: add it, so the viewport holds the whole page.
        Number height = (Number) script("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)"
                + " + (window.outerHeight - window.innerHeight);");
        try {
            driver.manage().window().setSize(new Dimension(size.width, Math.max(size.height, height.intValue() + 10)));
            script("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));");
            Path shot = screenshots.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
            return shot;
        } finally {
            driver.manage().window().setSize(size);
        }
    }

    void resize(Dimension size) {
        driver.manage().window().setSize(size);
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    /** Logs in through the login page, pressing Enter in the password field as a keyboard user would. */
    void logIn(String user) {
        open("#/login");
        WebElement name = labelled("User name");
        name.clear();
        name.sendKeys(user);
        WebElement password = labelled("Password");
        password.sendKeys(user + org.openqa.selenium.Keys.ENTER);
        waiting(30).until(d -> !d.getCurrentUrl().contains("#/login") && !d.findElements(By.id("logout")).isEmpty()
                && d.findElement(By.id("logout")).isDisplayed());
    }

    void logOut() {
        driver.findElement(By.id("logout")).click();
        visible(By.xpath("//h1[normalize-space(.)='Log in to Panacea']"));
    }

    static String literal(String text) {
        return text.contains("'") ? "\"" + text + "\"" : "'" + text + "'";
    }

    @Override
    public void close() {
        driver.quit();
        // A fresh profile per run: the old one is of no use and holds tens of megabytes of caches.
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // left behind under target/: mvn clean removes it
        }
    }
}

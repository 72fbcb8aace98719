package org.panacea.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The distribution's {@code bin/setenv} gives the JVM its heap limit. Karaf 4.4's scripts ignore JAVA_MAX_MEM, and
 * the soak found the node on a quarter of the machine's memory (6 GiB here) and 4 GiB resident after seven minutes;
 * the options are now set by setenv itself. Sourced here as bin/karaf sources it, with the environment of a start.
 */
class DistributionHeapTest {

    private static final Path SETENV = Path.of("../karaf-assembly/src/main/resources/assembly/bin/setenv");

    @Test
    void theHeapLimitIsPassedToTheJvmByDefault() throws Exception {
        List<String> options = options(Map.of());
        assertTrue(options.contains("-Xmx1024M"), options.toString());
        assertTrue(options.contains("-Xms256M"), options.toString());
        assertTrue(options.contains("--add-modules=jdk.incubator.vector"), options.toString());
    }

    @Test
    void javaMaxMemSetsTheLimitAndAHeapSizeInExtraJavaOptsWins() throws Exception {
        assertTrue(options(Map.of("JAVA_MAX_MEM", "2G")).contains("-Xmx2G"));
        List<String> own = options(Map.of("EXTRA_JAVA_OPTS", "-Xmx3G -Xms1G", "JAVA_MAX_MEM", "2G"));
        assertEquals(1, own.stream().filter(o -> o.startsWith("-Xmx")).count(), own.toString());
        assertEquals(1, own.stream().filter(o -> o.startsWith("-Xms")).count(), own.toString());
        assertTrue(own.contains("-Xmx3G") && own.contains("-Xms1G"), own.toString());
    }

    /** EXTRA_JAVA_OPTS after sourcing setenv in {@code sh} with the given environment. */
    private static List<String> options(Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder sh = new ProcessBuilder("sh", "-c", ". \"$0\"; printf '%s' \"$EXTRA_JAVA_OPTS\"",
                SETENV.toAbsolutePath().toString()).redirectErrorStream(true);
        sh.environment().keySet().removeIf(k -> k.startsWith("JAVA_") || k.equals("EXTRA_JAVA_OPTS"));
        sh.environment().put("JAVA_HOME", System.getProperty("java.home"));
        sh.environment().putAll(environment);
        Process process = sh.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), out);
        return Arrays.stream(out.strip().split("\\s+")).toList();
    }
}

package org.panacea.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunListener;

/**
 * Tells why a Karaf container never became ready, in the build's own output. When a test fails because the
 * container's services never appeared (Pax Exam's "gave up waiting for service", typically {@code BootFinished}),
 * the container is still running: this listener, registered with Failsafe and running in the test driver's JVM,
 * prints the container's thread dump ({@code jcmd Thread.print}), the bundles its log says failed, and the end of
 * its {@code karaf.log}. Without it such a failure says only that the boot did not finish, and the container's
 * folder is deleted with everything that would have said why.
 */
public final class StuckContainerReporter extends RunListener {

    private static final Pattern KARAF_BASE = Pattern.compile("-Dkaraf\\.base=(\\S+)");
    private static final int LOG_TAIL_LINES = 60;
    private static final int FRAMES_PER_THREAD = 45;
    private static final int MAX_ERRORS = 12;
    private static final Pattern LOG_ENTRY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}");
    private static final Pattern TELLING = Pattern.compile(
            "org\\.panacea|org\\.apache\\.karaf\\.features|org\\.apache\\.felix\\.scr|org\\.ops4j\\.pax\\.exam"
                    + "|java\\.lang\\.Thread\\.State: BLOCKED|deadlock");

    private final Set<Long> reported = new HashSet<>();

    @Override
    public void testFailure(Failure failure) {
        String message = String.valueOf(failure.getMessage());
        if (!message.contains("gave up waiting for service") && !message.contains("Cannot get the remote bundle")) {
            return;
        }
        Path exam = Path.of("target", "exam").toAbsolutePath().normalize();
        ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().map(line -> line.contains(exam.toString()))
                        .orElse(false))
                .filter(process -> reported.add(process.pid()))
                .forEach(process -> report(failure, process));
    }

    private static void report(Failure failure, ProcessHandle container) {
        StringBuilder report = new StringBuilder();
        report.append("\n==== Karaf container ").append(container.pid()).append(" never became ready for ")
                .append(failure.getDescription().getDisplayName()).append(" ====\n");
        report.append(threadDump(container.pid()));
        karafBase(container).map(base -> base.resolve("data/log/karaf.log")).ifPresent(log -> {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                report.append("\n---- ERROR lines of ").append(log.getFileName()).append(", with their stack traces ----\n");
                report.append(errorsWithTraces(lines));
                report.append("\n---- last ").append(LOG_TAIL_LINES).append(" lines ----\n");
                lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())
                        .forEach(line -> report.append(line).append('\n'));
            } catch (IOException e) {
                report.append("(karaf.log unreadable: ").append(e.getMessage()).append(")\n");
            }
        });
        report.append("==== end of the container report ====\n");
        System.out.print(report);
        System.out.flush();
    }

    /** The log's ERROR entries, each with the lines that follow it up to the next entry (its stack trace), cut. */
    static String errorsWithTraces(List<String> lines) {
        StringBuilder errors = new StringBuilder();
        int shown = 0;
        boolean inError = false;
        int traceLines = 0;
        for (String line : lines) {
            boolean entry = LOG_ENTRY.matcher(line).lookingAt();
            if (entry) {
                inError = line.contains("| ERROR") && shown++ < MAX_ERRORS;
                traceLines = 0;
                if (inError) {
                    errors.append(line).append('\n');
                }
            } else if (inError && traceLines++ < FRAMES_PER_THREAD) {
                errors.append(line).append('\n');
            }
        }
        return errors.toString();
    }

    private static Optional<Path> karafBase(ProcessHandle container) {
        return container.info().commandLine().map(KARAF_BASE::matcher).filter(Matcher::find)
                .map(matcher -> Path.of(matcher.group(1)));
    }

    /**
     * The threads of a dump that can explain a stuck boot: those in the features installer, in Declarative Services,
     * in Panacea's code or Pax Exam's, blocked ones, and the JVM's deadlock report; each cut to its top frames.
     */
    static String telling(String dump) {
        StringBuilder kept = new StringBuilder();
        for (String block : dump.split("\n\\s*\n")) {
            if (TELLING.matcher(block).find()) {
                block.lines().limit(FRAMES_PER_THREAD).forEach(line -> kept.append(line).append('\n'));
                kept.append('\n');
            }
        }
        return kept.toString();
    }

    private static String threadDump(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                    .redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            process.waitFor(30, TimeUnit.SECONDS);
            return telling(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "(no thread dump: " + e.getMessage() + ")\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(thread dump interrupted)\n";
        }
    }
}

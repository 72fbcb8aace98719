package org.panacea.itests;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/**
 * The Pax Exam options that boot the Panacea distribution built by this reactor, on free ports so that a running
 * Panacea on the same machine does not disturb the tests.
 */
final class PanaceaDistribution {

    /** The department rule that gives the demo clinician and nurse every patient. */
    static final String EVERY_PATIENT_TO_DEMO_USERS = "*=clinician+nurse";

    private PanaceaDistribution() {
    }

    static Option[] options(Option... extra) {
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(maven().groupId("org.panacea").artifactId("panacea-assembly")
                                .version(System.getProperty("panacea.version")).type("tar.gz"))
                        .name("Panacea")
                        .karafVersion(System.getProperty("karaf.version"))
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole(),
                // As bin/setenv starts the distribution: the imaging plugins' pixel loops use the Vector API.
                vmOption("--add-modules=jdk.incubator.vector"),
                logLevel(LogLevel.INFO),
                // On a loaded machine the probe's services can take longer than Pax Exam's default 10 s to appear.
                systemProperty("org.ops4j.pax.exam.raw.extender.intern.Parser.DEFAULT_TIMEOUT").value("120000"),
                // ... and the probe's own lookups (its Injector, the @Inject services such as BootFinished) give up
                // after 10 s by default: on a machine busy with other builds the boot features take longer.
                systemProperty("org.ops4j.pax.swissbox.tracker.ServiceLookup.DEFAULT_TIMEOUT").value("180000"),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                        System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository")),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", freePort()),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", freePort()),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", freePort()),
                // The DICOM network service listens on 11112 by default: a free port, as for ssh and RMI.
                editConfigurationFilePut("etc/org.panacea.dicom.cfg", "port", freePort()),
                // The demo cohort would load in the background of every test class; RecordsIT turns it back on.
                editConfigurationFilePut("etc/org.panacea.records.demo.cfg", "load.on.first.start", "false"),
                // The tests read the charts they write as the demo clinician and nurse: a department rule gives them
                // every patient. CareAccessIT sets no rule and tests care relationships themselves.
                editConfigurationFilePut("etc/org.panacea.records.care.cfg", "departments",
                        EVERY_PATIENT_TO_DEMO_USERS)));
        if (Boolean.getBoolean("panacea.exam.keep")) {
            // -Dpanacea.exam.keep=true keeps target/exam/<uuid> (logs, data) for a look after the run
            options.add(org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder());
        }
        options.addAll(Arrays.asList(extra));
        return options.toArray(new Option[0]);
    }

    static String freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return Integer.toString(socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

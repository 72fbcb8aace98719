package org.panacea.records.internal.demo;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.Role;
import org.panacea.records.internal.JpaPatientRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Loads the synthetic demo cohort on the first start of a demonstration system: only when configured
 * ({@code etc/org.panacea.records.demo.cfg}, which the demo distribution ships) and only into a record that has no
 * patient yet. Runs in the background with progress in the log; {@code patient:demo} loads more on request.
 */
@Component(configurationPid = "org.panacea.records.demo", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DemoData.Config.class)
public class DemoData {

    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);

    /** The component name the demo data is written under: audit entries name {@code system:demo-data}. */
    public static final String COMPONENT = "demo-data";

    @ObjectClassDefinition(name = "Panacea demo data", description = "Synthetic patients for demonstrations")
    public @interface Config {
        @AttributeDefinition(description = "Load the demo cohort when the record holds no patient")
        boolean load_on_first_start() default false;

        @AttributeDefinition(description = "How many patients to generate")
        int patients() default 300;

        @AttributeDefinition(description = "Random seed: the same seed gives the same patients")
        long seed() default 20240601L;
    }

    private final Thread loader;
    /** Set when the platform stops: an interrupted load is then an expected end, not an error. */
    private volatile boolean stopping;

    @Activate
    public DemoData(@Reference JpaPatientRecords records, @Reference CallerAuthentication authentication,
            Config config) {
        if (!config.load_on_first_start()) {
            loader = null;
            return;
        }
        loader = new Thread(() -> {
            try {
                Caller caller = loader(authentication);
                if (records.search(caller, new SearchQuery("Patient", Map.of(), 1, 0)).total() > 0) {
                    LOG.info("Demo data: the record already holds patients; nothing loaded");
                    return;
                }
                load(records, caller, config.patients(), config.seed(), done -> {
                    if (done % Math.max(1, config.patients() / 10) == 0 || done == config.patients()) {
                        LOG.info("Demo data: {} of {} patients loaded", done, config.patients());
                    }
                });
            } catch (RuntimeException e) {
                if (stopping) {
                    LOG.info("Demo data: loading stopped because the platform is stopping; the patients loaded so "
                            + "far are kept, and no more are loaded on the next start (patient:demo loads more)");
                } else {
                    LOG.error("Demo data could not be loaded", e);
                }
            }
        }, "panacea-demo-data");
        loader.setDaemon(true);
        loader.start();
    }

    /**
     * Who the demo data is written as: the platform itself ({@code system:demo-data}) with a clinician's rights,
     * issued by the security bundle so the access policy accepts it and the audit trail names it.
     */
    public static Caller loader(CallerAuthentication authentication) {
        return authentication.internal(COMPONENT, Set.of(Role.CLINICIAN));
    }

    /**
     * Generates and imports {@code patients} histories as {@code loader}, one atomic bundle each; stops early when
     * interrupted.
     */
    public static int load(JpaPatientRecords records, Caller loader, int patients, long seed, IntConsumer progress) {
        SyntheticPatients generator = new SyntheticPatients(seed, LocalDate.now(ZoneOffset.UTC));
        DemoCareRelationships care = DemoCareRelationships.ensurePractitioners(records, loader);
        int done = 0;
        for (int i = 1; i <= patients && !Thread.currentThread().isInterrupted(); i++) {
            ObjectNode bundle = generator.nextBundle((int) (seed % 1000) * 100_000 + i);
            care.relate(bundle, i, java.time.LocalDateTime.now(ZoneOffset.UTC));
            records.importBundle(loader, bundle);
            done++;
            progress.accept(done);
        }
        return done;
    }

    @Deactivate
    void stop() throws InterruptedException {
        if (loader != null) {
            stopping = true;
            loader.interrupt();
            loader.join(10_000);
        }
    }
}

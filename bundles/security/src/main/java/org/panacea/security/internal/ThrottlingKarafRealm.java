package org.panacea.security.internal;

import java.time.Clock;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login throttling for every door into Panacea, HTTP and console alike, by taking the place of Karaf's {@code karaf}
 * JAAS realm with a copy of it that starts with {@link ThrottlingLoginModule}.
 * <p>
 * Why in the realm: Karaf's ssh server ({@code bin/client}, {@code ssh -p 8101}) and JMX log in against the realm
 * named {@code karaf} themselves ({@code new LoginContext("karaf", ...)}); nothing of Panacea's sits on that path
 * except the realm's modules. Karaf 4.4's JAAS configuration ({@code org.apache.karaf.jaas.config}) tracks every
 * {@link JaasRealm} service and, for a name, uses the one whose {@link #getRank()} is highest, asking it for its
 * entries at every login. Karaf's own realm ({@code KarafRealm} in {@code org.apache.karaf.jaas.modules}, rank 0) is
 * built from {@code etc/org.apache.karaf.jaas.cfg}: the properties module on {@code etc/users.properties} with the
 * encryption (bcrypt) settings, the public-key module on {@code etc/keys.properties}, and the file, log and EventAdmin
 * audit modules, each {@code OPTIONAL} behind Karaf's {@code ProxyLoginModule} loading it from the jaas modules bundle.
 * <p>
 * Rather than rebuild that list (and drift from it when Karaf or its configuration changes), this realm asks the
 * best other realm named {@code karaf} for its entries at each login and puts its own module in front, as
 * {@code REQUISITE}; its rank is one above that realm's. So the modules, their options and Karaf's login events (which
 * the audit bundle records) stay exactly Karaf's, an LDAP realm an installation ranks above Karaf's is throttled too,
 * and turning throttling off ({@code login.throttle.enabled = false}) or stopping this bundle hands the name back to
 * Karaf's realm untouched. With no other {@code karaf} realm there are no entries, and every login fails.
 * <p>
 * Client addresses: Karaf's ssh server puts a {@code ClientPrincipal("ssh", "/host:port")} in the subject, JMX
 * {@code ("jmx", host)}, Panacea's HTTP login {@code ("http", host)}; the throttle keys on the host alone, so the same
 * machine is one address whichever door it knocks on.
 * <p>
 * The realm service is registered by hand, with only the marker property: a DS service would carry every key of
 * {@code etc/org.panacea.security.cfg} as a service property, for anyone to read with {@code service:list}.
 */
@Component(service = {}, immediate = true, configurationPid = "org.panacea.security")
public class ThrottlingKarafRealm implements JaasRealm {

    /** Service property marking this realm, so that it does not track itself among the realms it wraps. */
    static final String MARKER = "panacea.login.throttle";

    static final String REALM = "karaf";

    private static final Logger LOG = LoggerFactory.getLogger(ThrottlingKarafRealm.class);

    private BundleContext context;
    private LoginThrottle throttle;
    private ScheduledExecutorService sweeper;
    private ServiceRegistration<JaasRealm> registration;

    @Reference(service = JaasRealm.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, target = "(!(" + MARKER + "=*))")
    final List<JaasRealm> realms = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile AuditTrail audit;

    /** For DS, which then injects the references and calls {@link #activate}. */
    public ThrottlingKarafRealm() {
    }

    /** Ready to use, not registered (tests). */
    ThrottlingKarafRealm(LoginThrottleSettings settings, BundleContext context, Clock clock) {
        start(settings, context, clock);
    }

    private void start(LoginThrottleSettings settings, BundleContext bundleContext, Clock clock) {
        this.context = bundleContext;
        this.throttle = new LoginThrottle(settings, clock, this::record);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "panacea-login-throttle");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Registers the realm once the realms it wraps are known (DS has injected them by now). */
    @Activate
    void activate(LoginThrottleConfiguration config, BundleContext bundleContext) {
        start(LoginThrottleSettings.of(config), bundleContext, Clock.systemUTC());
        sweeper.scheduleWithFixedDelay(throttle::sweep, 30, 30, TimeUnit.SECONDS);
        registration = bundleContext.registerService(JaasRealm.class, this,
                new Hashtable<>(Map.of(MARKER, Boolean.TRUE.toString())));
        LoginThrottleSettings rules = throttle.settings();
        LOG.info("Login throttling {}: back-off after {} failures per user and address, {} per address; {} s "
                + "doubling up to {} s", rules.enabled() ? "on" : "OFF", rules.userFailures(),
                rules.addressFailures(), rules.firstDelay().toSeconds(), rules.maxDelay().toSeconds());
    }

    @Modified
    void modified(LoginThrottleConfiguration config) {
        throttle.reconfigure(LoginThrottleSettings.of(config));
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        sweeper.shutdownNow();
        throttle.close();
    }

    LoginThrottle throttle() {
        return throttle;
    }

    private void record(AuditEvent event) {
        AuditTrail trail = audit;
        if (trail == null) {
            LOG.warn("Audit trail unavailable; not recorded: {} {} from {}: {}", event.action(), event.actor(),
                    event.clientAddress(), event.resourceId());
            return;
        }
        trail.record(event);
    }

    @Override
    public String getName() {
        return REALM;
    }

    /** One above the realm it wraps while throttling is on; below Karaf's own realm when it is off. */
    @Override
    public int getRank() {
        if (!throttle.settings().enabled()) {
            return Integer.MIN_VALUE;
        }
        JaasRealm wrapped = wrapped();
        return wrapped == null ? 0 : wrapped.getRank() + 1;
    }

    @Override
    public AppConfigurationEntry[] getEntries() {
        JaasRealm wrapped = wrapped();
        AppConfigurationEntry[] theirs = wrapped == null ? null : wrapped.getEntries();
        if (theirs == null || theirs.length == 0) {
            return new AppConfigurationEntry[0];
        }
        AppConfigurationEntry[] entries = new AppConfigurationEntry[theirs.length + 1];
        entries[0] = throttlingEntry();
        System.arraycopy(theirs, 0, entries, 1, theirs.length);
        return entries;
    }

    /** This bundle's module, loaded by Karaf's proxy the way Karaf's realm loads its own modules. */
    private AppConfigurationEntry throttlingEntry() {
        Map<String, Object> options = new HashMap<>();
        options.put(BundleContext.class.getName(), context);
        options.put(ProxyLoginModule.PROPERTY_MODULE, ThrottlingLoginModule.class.getName());
        options.put(ProxyLoginModule.PROPERTY_BUNDLE, Long.toString(context.getBundle().getBundleId()));
        options.put(ThrottlingLoginModule.THROTTLE_OPTION, throttle);
        return new AppConfigurationEntry(ProxyLoginModule.class.getName(), LoginModuleControlFlag.REQUISITE, options);
    }

    /** The highest-ranked other realm named {@code karaf} (Karaf's own, unless an installation added one). */
    private JaasRealm wrapped() {
        JaasRealm best = null;
        for (JaasRealm realm : realms) {
            if (realm != this && REALM.equals(realm.getName()) && (best == null || realm.getRank() > best.getRank())) {
                best = realm;
            }
        }
        return best;
    }
}

package org.panacea.security.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.api.prediction.PredictionModel;
import org.panacea.api.security.PluginSignatureVerifier;
import org.panacea.api.security.SignatureVerdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps untrusted plugins from ever running: a bundle carrying the {@code Panacea-Plugin} header resolves only when
 * its JAR is signed by a trusted vendor and it imports no platform-internal package. A refused plugin is named in
 * the log with the reason, its refusal is audited, and it is uninstalled as soon as its install (or update) event
 * arrives: left lying INSTALLED, a refused revision also kept other plugins from resolving under Felix. Until then the
 * resolver hook keeps it from resolving. The verdict is cached per bundle revision, so the JAR is checked once, and
 * it is made on the revision's own content (see {@link RevisionContent}), never on what its location points to now.
 * <p>
 * The header is a declaration, not the boundary: any bundle that registers an {@link ImagingAlgorithm} or a
 * {@link PredictionModel} service is judged the same way when it does, and the service hooks hide the services of a
 * refused one from every other bundle, so the engine never binds them and no caller can run them. Such a bundle is
 * listed by {@code plugin:list} as refused. Plugin bundles in turn never see the platform's own services that act on
 * patient data or identities ({@link PlatformServiceIsolation}).
 * <p>
 * The trusted certificates are read at activation and again on {@link #reload()} ({@code plugin:trust},
 * {@code plugin:untrust}), which judges every installed plugin anew under the new trust: a plugin whose vendor is no
 * longer trusted is refused and uninstalled like one that arrives untrusted.
 */
@Component(service = { ResolverHookFactory.class, PluginSignatureVerifier.class, PluginTrust.class, FindHook.class,
    EventListenerHook.class }, configurationPid = "org.panacea.security")
public class SignedPluginGate implements ResolverHookFactory, PluginSignatureVerifier, PluginTrust, BundleListener,
        FindHook, EventListenerHook {

    /** The services only admitted code may offer. */
    static final Set<String> PLUGIN_SERVICES = Set.of(ImagingAlgorithm.class.getName(),
            PredictionModel.class.getName());

    private static final Logger LOG = LoggerFactory.getLogger(SignedPluginGate.class);

    private final AuditTrail audit;
    private final TrustedVendorFolder vendors;
    private volatile JarSignatures signatures;
    /** Counts trust changes: verdicts are cached per trust generation and bundle revision. */
    private final AtomicLong trustGeneration = new AtomicLong();
    private final boolean allowUnsigned;
    private final Map<String, SignatureVerdict> verdicts = new ConcurrentHashMap<>();
    /** Bundles seen registering plugin services, header or not: they are plugins whatever they declare. */
    private final Set<Long> pluginRegistrants = ConcurrentHashMap.newKeySet();
    private static final int UNINSTALL_ATTEMPTS = 10;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "panacea-plugin-gate");
        thread.setDaemon(true);
        return thread;
    });

    private final BundleContext context;

    @Activate
    public SignedPluginGate(@Reference AuditTrail audit, SecurityConfiguration config, BundleContext context) {
        this.audit = audit;
        this.context = context;
        String etc = System.getProperty("karaf.etc", "etc");
        this.vendors = new TrustedVendorFolder(Path.of(config.plugins_trusted_certificates().isEmpty()
                ? etc + "/trusted-vendors" : config.plugins_trusted_certificates()));
        this.signatures = new JarSignatures(TrustedVendorCertificates.load(vendors.folder()));
        this.allowUnsigned = config.plugins_allow_unsigned();
        if (allowUnsigned) {
            LOG.warn("Development mode: unsigned plugins are allowed to run (plugins.allow.unsigned = true)");
        }
        context.addBundleListener(this);
        // Plugins installed before the gate came up (boot features, the deploy folder) may have resolved unchecked.
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getHeaders("").get(PluginHeaders.PLUGIN) != null && !allowUnsigned && !admitted(bundle)) {
                uninstall(bundle, 1);
            }
        }
        // ... and header-less bundles may have registered plugin services the engine bound before these hooks were
        // in place. Looked for once this component is registered: a lookup now would call the find hooks, one of
        // which needs this very component (a service factory cycle).
        retries.schedule(this::stopRefusedRegistrants, 1, TimeUnit.SECONDS);
    }

    /** Stops a refused bundle whose plugin services are already bound; the hooks keep them hidden from then on. */
    private void stopRefusedRegistrants() {
        for (String service : PLUGIN_SERVICES) {
            try {
                ServiceReference<?>[] references = context.getAllServiceReferences(service, null);
                for (ServiceReference<?> reference : references == null ? new ServiceReference<?>[0] : references) {
                    Bundle registrant = reference.getBundle();
                    if (registrant != null && registrant.getBundleId() != context.getBundle().getBundleId()) {
                        pluginRegistrants.add(registrant.getBundleId());
                        if (!admitted(registrant)) {
                            stop(registrant);
                        }
                    }
                }
            } catch (org.osgi.framework.InvalidSyntaxException cannotHappen) {
                throw new IllegalStateException(cannotHappen);
            } catch (IllegalStateException stopping) {
                return; // the security bundle stopped meanwhile
            }
        }
    }

    private void stop(Bundle bundle) {
        retries.execute(() -> {
            try {
                bundle.stop();
                LOG.warn("Bundle {} {} stopped: it registered plugin services but was refused",
                        bundle.getSymbolicName(), bundle.getVersion());
            } catch (BundleException | IllegalStateException e) {
                LOG.warn("Refused bundle {} could not be stopped ({}); its plugin services stay hidden",
                        bundle.getSymbolicName(), e.getMessage());
            }
        });
    }

    /** {@code true} when the bundle is a plugin: it declares the header or has registered plugin services. */
    @Override
    public boolean isPlugin(Bundle bundle) {
        return bundle.getHeaders("").get(PluginHeaders.PLUGIN) != null
                || pluginRegistrants.contains(bundle.getBundleId());
    }

    /** Hides the plugin services of a refused bundle from everyone but itself: lookups find nothing. */
    @Override
    public void find(BundleContext finder, String name, String filter, boolean allServices,
            Collection<ServiceReference<?>> references) {
        references.removeIf(reference -> hidden(reference, finder));
    }

    /** ... and no listener (the engine's DS references among them) hears of them. */
    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        ServiceReference<?> reference = event.getServiceReference();
        if (!offersPluginService(reference)) {
            return;
        }
        Bundle registrant = reference.getBundle();
        if (registrant != null) {
            pluginRegistrants.add(registrant.getBundleId());
        }
        listeners.keySet().removeIf(listener -> hidden(reference, listener));
    }

    private boolean hidden(ServiceReference<?> reference, BundleContext viewer) {
        if (allowUnsigned || !offersPluginService(reference)) {
            return false;
        }
        Bundle registrant = reference.getBundle();
        if (registrant == null) {
            return false; // unregistered meanwhile
        }
        long viewerId;
        try {
            viewerId = viewer.getBundle().getBundleId();
        } catch (IllegalStateException stopped) {
            return true;
        }
        if (viewerId == registrant.getBundleId() || viewerId == 0) {
            return false; // a bundle sees its own services; the framework sees everything
        }
        return !verdict(registrant).trusted();
    }

    private static boolean offersPluginService(ServiceReference<?> reference) {
        Object classes = reference.getProperty(Constants.OBJECTCLASS);
        if (classes instanceof String[] names) {
            for (String name : names) {
                if (PLUGIN_SERVICES.contains(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Deactivate
    void stopWatching() {
        context.removeBundleListener(this);
        retries.shutdownNow();
    }

    /** Refuses at install: an untrusted plugin is uninstalled as soon as it arrives (not in development mode). */
    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        boolean arrived = event.getType() == BundleEvent.INSTALLED || event.getType() == BundleEvent.UPDATED;
        if (!arrived || allowUnsigned || bundle.getHeaders("").get(PluginHeaders.PLUGIN) == null || admitted(bundle)) {
            return;
        }
        uninstall(bundle, 1);
    }

    /**
     * Uninstalls a refused plugin, retrying a few times: someone may be starting it at that very moment (its start
     * fails, refused by the resolver hook, but meanwhile holds the bundle's state lock).
     */
    private void uninstall(Bundle bundle, int attempt) {
        try {
            bundle.uninstall();
            LOG.warn("Plugin {} {} uninstalled: it was refused", bundle.getSymbolicName(), bundle.getVersion());
        } catch (IllegalStateException alreadyGone) {
            // uninstalled meanwhile: nothing left to do
        } catch (BundleException busy) {
            if (attempt < UNINSTALL_ATTEMPTS) {
                retries.schedule(() -> uninstall(bundle, attempt + 1), 100L * attempt, TimeUnit.MILLISECONDS);
            } else {
                LOG.warn("Refused plugin {} could not be uninstalled ({}); it stays unresolved",
                        bundle.getSymbolicName(), busy.getMessage());
            }
        }
    }

    @Override
    public SignatureVerdict verify(Path jar) throws IOException {
        return signatures.verify(jar);
    }

    @Override
    public TrustedVendorFolder vendors() {
        return vendors;
    }

    @Override
    public synchronized List<String> reload() {
        signatures = new JarSignatures(TrustedVendorCertificates.load(vendors.folder()));
        trustGeneration.incrementAndGet();
        verdicts.clear();
        List<String> refused = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (!isPlugin(bundle) || bundle.getState() == Bundle.UNINSTALLED || verdict(bundle).trusted()) {
                continue;
            }
            refused.add(bundle.getSymbolicName() + " " + bundle.getVersion());
            if (allowUnsigned) {
                continue;
            }
            if (bundle.getHeaders("").get(PluginHeaders.PLUGIN) != null) {
                uninstall(bundle, 1);
            } else {
                stop(bundle); // its services may be bound already: the hooks hide only what comes next
            }
        }
        return refused;
    }

    @Override
    public SignatureVerdict verdict(Bundle bundle) {
        String key = trustGeneration.get() + ":" + bundle.getBundleId() + "@" + bundle.getLastModified();
        return verdicts.computeIfAbsent(key, k -> judge(bundle));
    }

    @Override
    public ResolverHook begin(Collection<BundleRevision> triggers) {
        return new ResolverHook() {
            @Override
            public void filterResolvable(Collection<BundleRevision> candidates) {
                for (Iterator<BundleRevision> it = candidates.iterator(); it.hasNext();) {
                    BundleRevision revision = it.next();
                    Bundle bundle = revision.getBundle();
                    if (bundle.getHeaders("").get(PluginHeaders.PLUGIN) != null && !admitted(bundle)) {
                        it.remove();
                    }
                }
            }

            @Override
            public void filterSingletonCollisions(BundleCapability singleton,
                    Collection<BundleCapability> collisionCandidates) {
                // no opinion
            }

            @Override
            public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
                // no opinion
            }

            @Override
            public void end() {
                // nothing held
            }
        };
    }

    private boolean admitted(Bundle bundle) {
        return verdict(bundle).trusted() || allowUnsigned;
    }

    private SignatureVerdict judge(Bundle bundle) {
        String name = bundle.getSymbolicName() + " " + bundle.getVersion();
        SignatureVerdict verdict = internalImport(bundle);
        if (verdict == null) {
            verdict = verifyRevision(bundle);
        }
        if (verdict.trusted()) {
            LOG.info("Plugin {} admitted: {}", name, verdict.reason());
        } else {
            LOG.warn("Plugin {} refused{}: {}", name, allowUnsigned ? " (but allowed: development mode)" : "",
                    verdict.reason());
            try {
                audit.record(new AuditEvent("system:plugin-gate", "", AuditAction.PLUGIN_REFUSED, "Bundle", name, "",
                        allowUnsigned ? AuditOutcome.FAILURE : AuditOutcome.DENIED, "internal",
                        verdict.reason() + "; location " + bundle.getLocation()));
            } catch (RuntimeException auditFailed) {
                LOG.error("The refusal of plugin {} could not be audited: {}", name, auditFailed.getMessage());
            }
        }
        return verdict;
    }

    /** Plugins see the platform only through its API: an import of any other Panacea package is refused. */
    private static SignatureVerdict internalImport(Bundle bundle) {
        String imports = bundle.getHeaders("").get(Constants.IMPORT_PACKAGE);
        if (imports == null) {
            return null;
        }
        for (String clause : imports.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            String pkg = clause.split(";")[0].trim();
            if (pkg.startsWith("org.panacea.") && !pkg.startsWith("org.panacea.api.")) {
                return new SignatureVerdict(false, "", "imports platform-internal package " + pkg
                        + "; plugins may import only org.panacea.api.*");
            }
        }
        return null;
    }

    /** Verifies the bytes of the bundle's current revision, whatever its location says. */
    private SignatureVerdict verifyRevision(Bundle bundle) {
        Path copy = null;
        try {
            java.util.Optional<Path> cached = RevisionContent.cachedJar(bundle);
            if (cached.isPresent()) {
                return signatures.verify(cached.get());
            }
            copy = Files.createTempFile("panacea-plugin-", ".jar");
            RevisionContent.copy(bundle, copy);
            return signatures.verify(copy);
        } catch (IOException | IllegalStateException e) {
            return new SignatureVerdict(false, "", "its installed content cannot be read: " + e.getMessage());
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException e) {
                    LOG.debug("temporary copy {} not deleted", copy);
                }
            }
        }
    }
}

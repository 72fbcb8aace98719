package org.panacea.metrics.internal;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.panacea.api.metrics.Counter;
import org.panacea.api.metrics.MeterId;
import org.panacea.api.metrics.Metrics;
import org.panacea.api.plugin.PluginHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts plugin swaps, {@code panacea_plugin_swaps_total} by change ({@code installed}, {@code updated},
 * {@code removed}), and exposes how many plugins are installed, {@code panacea_plugins_installed}. A plugin is a
 * bundle with the {@value PluginHeaders#PLUGIN} header; the framework's bundle events say what happened, whoever
 * caused it (console, feature, hot deployment). The counters exist from the start at zero, so a rate over them is
 * defined before the first swap. Thread-safe.
 */
@Component(service = {})
public class PluginSwaps implements BundleListener {

    private static final Logger LOG = LoggerFactory.getLogger(PluginSwaps.class);

    static final MeterId SWAPS = MeterId.of("panacea.plugin.swaps",
            "Plugin bundles installed, updated or removed since the node started");
    static final MeterId INSTALLED = MeterId.of("panacea.plugins.installed",
            "Plugin bundles installed on this node now, in any state");

    /** The bundle events that change which plugins are installed, and their label. */
    enum Change {
        INSTALLED(BundleEvent.INSTALLED), UPDATED(BundleEvent.UPDATED), REMOVED(BundleEvent.UNINSTALLED);

        final int event;

        Change(int event) {
            this.event = event;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final BundleContext context;
    private final Map<Change, Counter> counters = new EnumMap<>(Change.class);
    private final AutoCloseable installed;

    @Activate
    public PluginSwaps(@Reference Metrics metrics, BundleContext context) {
        this.context = context;
        for (Change change : Change.values()) {
            counters.put(change, metrics.counter(SWAPS.with("change", change.label())));
        }
        installed = metrics.gauge(INSTALLED, this::installedPlugins);
        context.addBundleListener(this);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
        try {
            installed.close();
        } catch (Exception e) {
            LOG.debug("Could not remove the installed-plugins gauge", e);
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (!isPlugin(event.getBundle())) {
            return;
        }
        for (Change change : Change.values()) {
            if (change.event == event.getType()) {
                counters.get(change).increment();
            }
        }
    }

    private double installedPlugins() {
        return Arrays.stream(context.getBundles()).filter(PluginSwaps::isPlugin).count();
    }

    private static boolean isPlugin(Bundle bundle) {
        // An uninstalled bundle still answers its last headers.
        return bundle.getHeaders("").get(PluginHeaders.PLUGIN) != null;
    }
}

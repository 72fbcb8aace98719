package org.panacea.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.Dictionary;
import java.util.Hashtable;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.testsupport.RecordingMetrics;

class PluginSwapsTest {

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final BundleContext context = mock(BundleContext.class);

    private static Bundle bundle(boolean plugin) {
        Bundle bundle = mock(Bundle.class);
        Dictionary<String, String> headers = new Hashtable<>();
        headers.put("Bundle-SymbolicName", plugin ? "com.vendor.imaging" : "org.panacea.records");
        if (plugin) {
            headers.put(PluginHeaders.PLUGIN, "imaging");
        }
        when(bundle.getHeaders("")).thenReturn(headers);
        return bundle;
    }

    private long swaps(String change) {
        return metrics.count(PluginSwaps.SWAPS.with("change", change));
    }

    @Test
    void pluginBundlesAreCountedByChangeAndOtherBundlesAreNot() {
        Bundle plugin = bundle(true);
        Bundle core = bundle(false);
        when(context.getBundles()).thenReturn(new Bundle[] { plugin, core });
        PluginSwaps swaps = new PluginSwaps(metrics, context);
        verify(context).addBundleListener(swaps);
        assertEquals(0, swaps("installed"), "the series exist at zero");

        swaps.bundleChanged(new BundleEvent(BundleEvent.INSTALLED, plugin));
        swaps.bundleChanged(new BundleEvent(BundleEvent.UPDATED, plugin));
        swaps.bundleChanged(new BundleEvent(BundleEvent.UPDATED, plugin));
        swaps.bundleChanged(new BundleEvent(BundleEvent.STARTED, plugin));
        swaps.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, plugin));
        swaps.bundleChanged(new BundleEvent(BundleEvent.UPDATED, core));

        assertEquals(1, swaps("installed"));
        assertEquals(2, swaps("updated"));
        assertEquals(1, swaps("removed"));
        assertEquals(1.0, metrics.gauge(PluginSwaps.INSTALLED), "one plugin among the bundles");

        swaps.deactivate();
        verify(context).removeBundleListener(swaps);
        assertNull(metrics.gauge(PluginSwaps.INSTALLED));
    }
}

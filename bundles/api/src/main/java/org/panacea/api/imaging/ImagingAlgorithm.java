package org.panacea.api.imaging;

import org.osgi.annotation.versioning.ConsumerType;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;

/**
 * The extension point of imaging plugins, registered as an OSGi service (Declarative Services) by a signed plugin
 * bundle. The engine finds it by {@link PluginDescriptor#id()}, validates the parameters against the descriptor,
 * decrypts the input, and runs {@link #apply} under a time limit.
 * <p>
 * Implementations must be thread-safe (calls run concurrently), must not change the input image, must not touch
 * files, network or the database, and should stop early when their thread is interrupted (the time limit).
 */
@ConsumerType
public interface ImagingAlgorithm {

    /** Identity, version and parameter schema; the same object for the life of the service. */
    PluginDescriptor descriptor();

    /**
     * Runs the algorithm.
     *
     * @param image      the input frame; not to be modified
     * @param parameters values validated against {@link #descriptor()}, defaults filled in
     * @throws AlgorithmException when this input cannot be processed, with a message for the user
     */
    AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException;
}

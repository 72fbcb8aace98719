package org.panacea.engine.internal.imaging;

import java.time.Duration;
import java.util.List;

import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.Finding;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;

/**
 * What a successful algorithm run produced.
 *
 * @param algorithm    the plugin that ran, with the version used
 * @param instanceUid  the input's SOP Instance UID
 * @param frame        the input frame
 * @param patientId    the patient the input belongs to
 * @param derived      the stored output image, or {@code null} when the algorithm only measures
 * @param measurements numbers about the whole image
 * @param findings     things found in it
 * @param parameters   the parameters used, defaults filled in
 * @param inputDigest  SHA-256 of the input's samples (see {@code Digests})
 * @param outputDigest SHA-256 of the output's samples, or {@code null} without output image
 * @param runTime      how long the plugin's code ran
 * @param waited       how long the call waited for the plugin (a replacement, during a swap)
 */
public record AlgorithmRun(PluginDescriptor algorithm, String instanceUid, int frame, String patientId,
        ArchivedInstance derived, List<Measurement> measurements, List<Finding> findings, Parameters parameters,
        String inputDigest, String outputDigest, Duration runTime, Duration waited) {
}

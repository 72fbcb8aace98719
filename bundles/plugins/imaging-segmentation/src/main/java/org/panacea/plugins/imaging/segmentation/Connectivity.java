package org.panacea.plugins.imaging.segmentation;

import org.panacea.api.imaging.AlgorithmException;

/** The {@code connectivity} parameter: {@code 4} (edge neighbours) or {@code 8} (edge and corner neighbours). */
final class Connectivity {

    private Connectivity() {
    }

    static boolean eightConnected(String connectivity) throws AlgorithmException {
        switch (connectivity.trim()) {
            case "4":
                return false;
            case "8":
                return true;
            default:
                throw new AlgorithmException("connectivity must be 4 or 8, was '" + connectivity + "'");
        }
    }
}

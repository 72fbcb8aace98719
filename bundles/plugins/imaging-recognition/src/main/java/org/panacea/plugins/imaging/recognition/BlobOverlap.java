package org.panacea.plugins.imaging.recognition;

/**
 * The fraction of the smaller of two blobs' disks (radius {@code sigma * sqrt(2)}) covered by the other, computed
 * as scikit-image's {@code _blob_overlap} / {@code _compute_disk_overlap} (0.19) do: positions scaled by the larger
 * sigma times sqrt(2), so that the larger disk has radius 1. A sigma of 0 marks a blob already pruned.
 */
final class BlobOverlap {

    private static final double ROOT_NDIM = Math.sqrt(2);

    private BlobOverlap() {
    }

    static double fraction(double row1, double col1, double sigma1, double row2, double col2, double sigma2) {
        if (sigma1 == 0 && sigma2 == 0) {
            return 0;
        }
        double maxSigma;
        double r1;
        double r2;
        if (sigma1 > sigma2) {
            maxSigma = sigma1;
            r1 = 1;
            r2 = sigma2 / sigma1;
        } else {
            maxSigma = sigma2;
            r2 = 1;
            r1 = sigma1 / sigma2;
        }
        double scale = maxSigma * ROOT_NDIM;
        double dRow = row2 / scale - row1 / scale;
        double dCol = col2 / scale - col1 / scale;
        double d = Math.sqrt(dRow * dRow + dCol * dCol);
        if (d > r1 + r2) {
            return 0;
        }
        if (d <= Math.abs(r1 - r2)) {
            return 1;
        }
        double ratio1 = Math.max(-1, Math.min(1, (d * d + r1 * r1 - r2 * r2) / (2 * d * r1)));
        double ratio2 = Math.max(-1, Math.min(1, (d * d + r2 * r2 - r1 * r1) / (2 * d * r2)));
        double a = -d + r2 + r1;
        double b = d - r2 + r1;
        double c = d + r2 - r1;
        double e = d + r2 + r1;
        double area = r1 * r1 * Math.acos(ratio1) + r2 * r2 * Math.acos(ratio2) - 0.5 * Math.sqrt(Math.abs(a * b * c * e));
        double smaller = Math.min(r1, r2);
        return area / (Math.PI * (smaller * smaller));
    }
}

#!/usr/bin/python3
"""Reference blobs for the LoG blob detector's tests, computed by scikit-image's blob_log.

Run from this folder with Debian's python3 (bookworm: python3-skimage 0.19.3, numpy 1.24.2, scipy 1.10.1):

    /usr/bin/python3 make_blob_reference.py

Inputs: ct_small_int16_le.raw (CT_small's stored values; the detector works on rescaled values, so the reference
gets HU = stored - 1024 as float64) and a synthetic image this script writes (synthetic_160x120_f32le.raw.gz:
float32, row-major, little endian; blobs of known centre and size on a flat background of 10), given to
blob_log as float64 copies of the float32 values.

Outputs, one CSV per case (blobs_<case>.csv): row, col (pixels, 0-based), sigma (pixels) of each blob as
blob_log returns them, and contrast = the scale-normalised response -sigma^2 * LoG at that blob (the value
blob_log compares with its threshold), recomputed here with scipy.ndimage.gaussian_laplace exactly as blob_log
does. Cases with overlap 1.0 are the candidates before pruning (a fraction of overlap can never exceed 1).
"""
import csv
import gzip

import numpy as np
import scipy
import skimage
from scipy import ndimage as ndi
from skimage.feature import blob_log

WIDTH, HEIGHT = 160, 120
# (row, col, sigma, amplitude): Gaussian blobs; a negative amplitude is a dark blob, which blob_log ignores.
GAUSSIANS = [(30, 40, 3.0, 100.0), (80, 50, 5.0, 80.0), (60, 120, 2.0, 120.0), (95, 125, 4.0, -60.0),
             (100, 90, 4.0, 90.0), (104, 93, 2.0, 90.0), (12, 150, 1.5, 60.0)]
# (row, col, radius, amplitude): a uniform disk; its LoG response peaks near sigma = radius / sqrt(2).
DISKS = [(25, 100, 6.0, 70.0)]


def synthetic():
    rows, cols = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float64)
    image = np.full((HEIGHT, WIDTH), 10.0)
    for r, c, s, a in GAUSSIANS:
        image += a * np.exp(-((rows - r) ** 2 + (cols - c) ** 2) / (2 * s * s))
    for r, c, radius, a in DISKS:
        image += a * (((rows - r) ** 2 + (cols - c) ** 2) <= radius * radius)
    return image.astype(np.float32)


def contrast(image, row, col, sigma):
    return float(-ndi.gaussian_laplace(image, sigma)[int(row), int(col)] * sigma ** 2)


def write(case, image, min_sigma, max_sigma, num_sigma, threshold, overlap):
    blobs = blob_log(image, min_sigma=min_sigma, max_sigma=max_sigma, num_sigma=num_sigma,
                     threshold=threshold, overlap=overlap)
    with open(f"blobs_{case}.csv", "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow([f"# skimage {skimage.__version__} blob_log(min_sigma={min_sigma}, max_sigma={max_sigma}, "
                      f"num_sigma={num_sigma}, threshold={threshold}, overlap={overlap}); numpy {np.__version__}, "
                      f"scipy {scipy.__version__}"])
        out.writerow(["row", "col", "sigma", "contrast"])
        for row, col, sigma in sorted(map(tuple, blobs)):
            out.writerow([int(row), int(col), repr(float(sigma)), repr(contrast(image, row, col, sigma))])
    print(case, len(blobs))


def main():
    ct = np.fromfile("ct_small_int16_le.raw", dtype="<i2").reshape(128, 128).astype(np.float64) - 1024
    write("ct_small_s1-8_n15_t30_o0.5", ct, 1, 8, 15, 30, 0.5)
    write("ct_small_s1-8_n15_t30_o1", ct, 1, 8, 15, 30, 1.0)
    write("ct_small_s1-5_n9_t100_o0.5", ct, 1, 5, 9, 100, 0.5)
    write("ct_small_s1-6_n11_t40_o1", ct, 1, 6, 11, 40, 1.0)
    write("ct_small_s2-8_n13_t50_o1", ct, 2, 8, 13, 50, 1.0)

    image32 = synthetic()
    with gzip.GzipFile("synthetic_160x120_f32le.raw.gz", "wb", mtime=0) as f:
        f.write(image32.astype("<f4").tobytes())
    image = image32.astype(np.float64)
    write("synthetic_s1-8_n15_t10_o0.5", image, 1, 8, 15, 10, 0.5)
    write("synthetic_s1-8_n15_t10_o1", image, 1, 8, 15, 10, 1.0)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Reference values for the frequency filter's tests, computed with NumPy's FFT (pocketfft).

Run from this folder with Debian's python3 (bookworm: NumPy 1.24.2):  /usr/bin/python3 make_filter_reference.py

For each case, CT_small's stored values (float64) are transformed with numpy.fft.fft2, multiplied by the radial
gain H(f), f = sqrt(fx^2 + fy^2) with fx, fy from numpy.fft.fftfreq (cycles/pixel), and transformed back with
ifft2; the real part is the filtered image. Written to filter_reference.csv: case, then sum, min, max of the
filtered image, the fraction of spectral energy kept, and the values at a fixed set of (row, column) points.
"""
import csv

import numpy as np

POINTS = [(0, 0), (0, 1), (1, 0), (3, 5), (10, 20), (31, 17), (64, 64), (100, 100), (127, 127), (127, 0)]


def lowpass(f, c, shape):
    return np.exp(-f ** 2 / (2 * c * c)) if shape == "gaussian" else (f <= c).astype(float)


def gain(f, kind, shape, cutoff, upper):
    if kind == "lowpass":
        return lowpass(f, cutoff, shape)
    if kind == "highpass":
        return 1 - lowpass(f, cutoff, shape)
    return lowpass(f, upper, shape) * (1 - lowpass(f, cutoff, shape))


CASES = [("lowpass", "gaussian", 0.05, 0), ("lowpass", "ideal", 0.1, 0), ("highpass", "gaussian", 0.1, 0),
         ("highpass", "ideal", 0.02, 0), ("bandpass", "gaussian", 0.05, 0.2), ("bandpass", "ideal", 0.1, 0.3)]


def main():
    image = np.fromfile("input_int16_le.raw", dtype="<i2").reshape(128, 128).astype(np.float64)
    spectrum = np.fft.fft2(image)
    fy = np.fft.fftfreq(128)[:, None]
    fx = np.fft.fftfreq(128)[None, :]
    f = np.sqrt(fx ** 2 + fy ** 2)
    with open("filter_reference.csv", "w", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["pass", "shape", "cutoff", "upper_cutoff", "sum", "min", "max", "energy_kept"]
                   + [f"v{r}_{c}" for r, c in POINTS])
        for kind, shape, cutoff, upper in CASES:
            h = gain(f, kind, shape, cutoff, upper)
            filtered = np.real(np.fft.ifft2(spectrum * h))
            power = np.abs(spectrum) ** 2
            kept = float(np.sum(power * h * h) / np.sum(power))
            w.writerow([kind, shape, cutoff, upper, repr(float(filtered.sum())), repr(float(filtered.min())),
                        repr(float(filtered.max())), repr(kept)] + [repr(float(filtered[r, c])) for r, c in POINTS])


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Writes the display references for the MONOCHROME1 radiographs in this folder, independently of Panacea.

Run from this folder with Debian's python3-pydicom 2.3.1, python3-numpy 1.24.2 and python3-pil 9.4.0:

    /usr/bin/python3 make_monochrome1_reference.py

For each CR_*_monochrome1.dcm and each window (the file's own; 1700/600 asked for; and the frame's rescaled range,
Panacea's choice when an image has no window: centre min + w/2 - 0.5, width max - min + 1), pydicom does the work:
apply_modality_lut (Rescale Slope/Intercept) and then apply_voi_lut (Window Center/Width, VOI LUT Function LINEAR,
PS3.3 C.11.2.1.2.1). pydicom's output range is that of the rescaled stored-bit range, so the script maps it linearly
to 0..255 ('*.voi_f64le.raw', float64 little endian, before rounding), rounds half up to 8 bits and, as the files
are MONOCHROME1 (higher values display darker), inverts: grey = 255 - rounded. The result, what a MONOCHROME2
display shows, is written as an 8-bit grey PNG ('*.display.png'). The script also writes each file's stored
samples ('*.stored_u16le.raw', uint16 little endian, row-major) for tests that do not read DICOM.
"""
import copy
import glob

import numpy as np
import pydicom
from PIL import Image
from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_voi_lut


def output_range(ds):
    """pydicom's VOI output range for this dataset (unsigned stored bits, rescaled), as apply_windowing uses it."""
    low, high = 0.0, 2.0 ** ds.BitsStored - 1
    return low * ds.RescaleSlope + ds.RescaleIntercept, high * ds.RescaleSlope + ds.RescaleIntercept


for path in sorted(glob.glob("CR_*_monochrome1.dcm")):
    ds = pydicom.dcmread(path)
    assert ds.PhotometricInterpretation == "MONOCHROME1" and ds.PixelRepresentation == 0
    assert "VOILUTSequence" not in ds and "VOILUTFunction" not in ds and "ModalityLUTSequence" not in ds
    stored = ds.pixel_array
    assert int(stored.max()) < 2 ** ds.BitsStored, "no bits outside Bits Stored"
    rescaled = apply_modality_lut(stored, ds)
    name = path[:-len(".dcm")]
    stored.astype("<u2").tofile(name + ".stored_u16le.raw")
    low, high = float(rescaled.min()), float(rescaled.max())
    range_width = max(1.0, high - low + 1)
    windows = {
        "own": (float(ds.WindowCenter), float(ds.WindowWidth)),
        "c1700_w600": (1700.0, 600.0),
        "range": (low + range_width / 2 - 0.5, range_width),
    }
    for label, (center, width) in windows.items():
        windowed = copy.deepcopy(ds)
        windowed.WindowCenter = center
        windowed.WindowWidth = width
        y_min, y_max = output_range(windowed)
        voi = (apply_voi_lut(rescaled, windowed) - y_min) / (y_max - y_min) * 255
        fraction = voi - np.floor(voi)
        assert not np.any(np.abs(fraction - 0.5) < 1e-6), "a value this close to a half would round either way"
        voi.astype("<f8").tofile(f"{name}.{label}.voi_f64le.raw")
        display = 255 - np.floor(voi + 0.5).astype(np.uint8)
        Image.fromarray(display.astype(np.uint8), mode="L").save(f"{name}.{label}.display.png", optimize=False)
        print(path, label, "centre", center, "width", width, "display grey", display.min(), "..", display.max())

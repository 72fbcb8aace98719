"""Reference grey pixels of the JPEG Baseline test files, from an independent decoder: pydicom 3.0 with Pillow
(libjpeg-turbo). Each file's pixels are decoded to RGB by pydicom (which applies its own YCbCr/RGB decision), and
the grey Panacea keeps is the BT.601 luma round((299 R + 587 G + 114 B) / 1000); grey files are taken as decoded.
Writes <file>.grey_u8.raw (rows x columns bytes, row-major) next to each file.

    pip install pydicom pillow numpy && python3 make_reference.py
"""
import glob

import numpy as np
import pydicom

for name in sorted(glob.glob("*.dcm")):
    ds = pydicom.dcmread(name)
    if ds.SamplesPerPixel == 1:
        grey = ds.pixel_array.astype(np.uint8)
    else:
        rgb = pydicom.pixels.pixel_array(ds, decoding_plugin="pillow", as_rgb=True).astype(np.int64)
        grey = ((299 * rgb[..., 0] + 587 * rgb[..., 1] + 114 * rgb[..., 2] + 500) // 1000).astype(np.uint8)
    grey.tofile(name[:-4] + ".grey_u8.raw")
    print(name, ds.file_meta.TransferSyntaxUID, ds.PhotometricInterpretation, grey.shape)

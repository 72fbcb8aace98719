#!/usr/bin/python3
"""Writes attributes.tsv and pixels.tsv, the independent reference the reader's tests compare against.

Run from this folder with Debian's python3-pydicom 2.3.1 and python3-numpy 1.24.2 (no other dependency):

    /usr/bin/python3 make_reference.py

pydicom parses every file and decodes the pixel data (its numpy and RLE handlers); this script only applies the
conventions the Panacea reader documents on top of pydicom's arrays:
- Bits Stored below Bits Allocated: keep the stored bits ending at High Bit, sign-extended when signed
  (pydicom 2.3 returns the raw samples; the column 'bits_outside_stored' counts samples where this changed anything);
- colour (RGB) to grey: (299 R + 587 G + 114 B + 500) // 1000 on pydicom's RGB array;
- rescale: Rescale Slope/Intercept, else those of the Shared Functional Groups' Pixel Value Transformation
  Sequence, else Dose Grid Scaling for RT Dose; unit from Rescale Type (US -> empty), HU for CT, Gy for RT Dose GY;
- window and pixel spacing: first values, top level else the Shared Functional Groups.
pixels.tsv holds, per frame, min, max, sum and the SHA-256 of every sample as a little-endian int64, in row-major
order (all files here have integer samples; 32-bit ones stay below 2^24, so the reader's float32 is exact).
"""
import hashlib
import math

import numpy as np
import pydicom

FILES = [
    "CT_small.dcm", "MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm",
    "MR_small_padded.dcm", "image_dfl.dcm", "liver_1frame.dcm", "liver_expb_1frame.dcm", "rtdose.dcm",
    "rtdose_expb.dcm", "rtdose_rle.dcm", "SC_rgb_rle.dcm", "SC_rgb_rle_2frame.dcm", "SC_rgb_rle_16bit.dcm",
    "ExplVR_BigEnd.dcm", "nibabel_mr_256.dcm", "nibabel_decimal_rescale.dcm",
]


def shared(ds, sequence, keyword):
    groups = ds.get("SharedFunctionalGroupsSequence")
    if not groups or sequence not in groups[0] or not groups[0][sequence].value:
        return None
    return groups[0][sequence][0].get(keyword)


def top_or_shared(ds, keyword, sequence):
    value = ds.get(keyword)
    return value if value is not None else shared(ds, sequence, keyword)


def first(value):
    if value is None or value == "":
        return math.nan
    if isinstance(value, pydicom.multival.MultiValue):
        return float(value[0])
    return float(value)


def text(value):
    return "" if value is None else str(value).strip()


def number(value):
    return "nan" if isinstance(value, float) and math.isnan(value) else repr(float(value))


def rescale(ds):
    slope = top_or_shared(ds, "RescaleSlope", "PixelValueTransformationSequence")
    if slope is not None:
        intercept = top_or_shared(ds, "RescaleIntercept", "PixelValueTransformationSequence")
        unit = text(top_or_shared(ds, "RescaleType", "PixelValueTransformationSequence"))
        unit = "" if unit == "US" else unit
        result = [float(slope), float(intercept) if intercept not in (None, "") else 0.0, unit]
    elif "DoseGridScaling" in ds:
        units = text(ds.get("DoseUnits"))
        result = [float(ds.DoseGridScaling), 0.0, {"GY": "Gy", "RELATIVE": "relative"}.get(units, units)]
    else:
        result = [1.0, 0.0, ""]
    if result[2] == "" and ds.get("Modality") == "CT" and "RescaleType" not in ds:
        result[2] = "HU"
    return result


def normalised(ds, frame):
    """pydicom's samples with the reader's stored-bits convention; grey for colour."""
    if ds.SamplesPerPixel == 3:
        rgb = frame.astype(np.int64)
        return (299 * rgb[..., 0] + 587 * rgb[..., 1] + 114 * rgb[..., 2] + 500) // 1000, 0
    allocated, stored, high = ds.BitsAllocated, ds.BitsStored, ds.HighBit
    values = frame.astype(np.int64)
    if allocated == 1 or stored == allocated:
        return values, 0
    raw = values & ((1 << allocated) - 1)
    kept = (raw >> (high + 1 - stored)) & ((1 << stored) - 1)
    if ds.PixelRepresentation == 1:
        kept = np.where(kept >> (stored - 1) != 0, kept - (1 << stored), kept)
    return kept, int(np.count_nonzero(kept != values))


def main():
    with open("attributes.tsv", "w") as attributes, open("pixels.tsv", "w") as pixels:
        attributes.write("\t".join([
            "file", "transfer_syntax", "rows", "columns", "frames", "samples_per_pixel", "photometric",
            "bits_allocated", "bits_stored", "high_bit", "pixel_representation", "rescale_slope",
            "rescale_intercept", "rescale_unit", "window_center", "window_width", "row_spacing", "column_spacing",
            "modality", "patient_name", "patient_id", "birth_date", "sex", "study_uid", "study_date",
            "study_description", "accession", "series_uid", "series_number", "series_description", "sop_class",
            "sop_instance", "instance_number", "bits_outside_stored"]) + "\n")
        pixels.write("file\tframe\tmin\tmax\tsum\tsha256_int64le\n")
        for name in FILES:
            ds = pydicom.dcmread(name)
            array = ds.pixel_array
            frames = int(ds.get("NumberOfFrames", 1) or 1)
            if frames == 1:
                array = array[np.newaxis, ...]
            spacing = top_or_shared(ds, "PixelSpacing", "PixelMeasuresSequence")
            slope, intercept, unit = rescale(ds)
            changed = 0
            for index in range(frames):
                values, outside = normalised(ds, array[index])
                changed += outside
                flat = values.reshape(-1).astype("<i8")
                pixels.write(f"{name}\t{index}\t{flat.min()}\t{flat.max()}\t{flat.sum()}\t"
                             f"{hashlib.sha256(flat.tobytes()).hexdigest()}\n")
            row = [
                name, ds.file_meta.TransferSyntaxUID, ds.Rows, ds.Columns, frames, ds.SamplesPerPixel,
                ds.PhotometricInterpretation, ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation,
                number(slope), number(intercept), unit,
                number(first(top_or_shared(ds, "WindowCenter", "FrameVOILUTSequence"))),
                number(first(top_or_shared(ds, "WindowWidth", "FrameVOILUTSequence"))),
                number(float(spacing[0]) if spacing else math.nan),
                number(float(spacing[1]) if spacing else math.nan),
                text(ds.get("Modality")), text(ds.get("PatientName")), text(ds.get("PatientID")),
                text(ds.get("PatientBirthDate")), text(ds.get("PatientSex")), text(ds.get("StudyInstanceUID")),
                text(ds.get("StudyDate")), text(ds.get("StudyDescription")), text(ds.get("AccessionNumber")),
                text(ds.get("SeriesInstanceUID")), text(ds.get("SeriesNumber")), text(ds.get("SeriesDescription")),
                text(ds.get("SOPClassUID")), text(ds.get("SOPInstanceUID")), text(ds.get("InstanceNumber")), changed,
            ]
            attributes.write("\t".join(str(value) for value in row) + "\n")


if __name__ == "__main__":
    main()

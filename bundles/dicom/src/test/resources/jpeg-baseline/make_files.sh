#!/bin/sh
# Makes image_dfl_baseline.dcm: pydicom's real 8-bit grey image_dfl.dcm (deflated) compressed by dcmtk 3.6.7 to
# JPEG Baseline (1.2.840.10008.1.2.4.50), an encoder Panacea did not write. The original has no Patient ID, which the
# archive files every image under: the copy gets one (JPEG-BASELINE-1). image_dfl_extended.dcm is the same image as
# 8-bit JPEG Extended (1.2.840.10008.1.2.4.51). Run from this folder with Debian's dcmtk.
set -e
work=$(mktemp -d)
dcmconv +te ../dicom/image_dfl.dcm "$work/image_dfl_le.dcm"
dcmodify -nb -i "(0010,0020)=JPEG-BASELINE-1" "$work/image_dfl_le.dcm"
dcmcjpeg +eb +q 90 "$work/image_dfl_le.dcm" image_dfl_baseline.dcm
dcmcjpeg +ee +q 90 "$work/image_dfl_le.dcm" image_dfl_extended.dcm
rm -r "$work"

"""Makes CT_small_sex_falso.dcm: the real CT_small.dcm (pydicom's test data, MIT) with Patient's Sex (0010,0040)
set to 'Falso', the value a real X-ray angiography file was sent with. 'Falso' is not a valid code string (lower-case
letters) nor one of M, F, O: Panacea stores the file as received with a warning, and the record reads the sex as
unknown. Nothing else changes (same UIDs and pixels).

    pip install pydicom && python3 make_files.py
"""
import pydicom

ds = pydicom.dcmread("../dicom/CT_small.dcm")
ds.PatientSex = "Falso"
ds.save_as("CT_small_sex_falso.dcm", enforce_file_format=True)

"""The study data package: the one interchange format between the site and the statistics.

A folder with ``datapackage.json`` (Frictionless Data Package conventions) and one CSV or
Parquet file per table. The schemas live in ``tables.yaml`` beside this module.
"""

from mentorwijs.studydata.errors import InvalidStudyPackageError, Problem, StudyDataError
from mentorwijs.studydata.package import (
    StudyPackage,
    read_package,
    validate_package,
    write_package,
)
from mentorwijs.studydata.schema import (
    DTYPES,
    TABLE_NAMES,
    TableSpec,
    coerce_table,
    empty_table,
    table_specs,
)

__all__ = [
    "DTYPES",
    "TABLE_NAMES",
    "InvalidStudyPackageError",
    "Problem",
    "StudyDataError",
    "StudyPackage",
    "TableSpec",
    "coerce_table",
    "empty_table",
    "read_package",
    "table_specs",
    "validate_package",
    "write_package",
]

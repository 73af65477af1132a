"""The study data package: the one interchange format between the site and the statistics.

A folder with ``datapackage.json`` (Frictionless Data Package conventions) and one CSV or
Parquet file per table. The schemas live in ``tables.yaml`` beside this module.
"""

from mentorwijs.studydata.answers import AnswersTable, answers_table
from mentorwijs.studydata.answers_files import answers_export, answers_zip, write_answers
from mentorwijs.studydata.errors import (
    AnswersExportError,
    InvalidStudyPackageError,
    NoAnswersError,
    Problem,
    StudyDataError,
    UnexportableAnswerError,
    UnknownExportFormatError,
)
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
    "AnswersExportError",
    "AnswersTable",
    "InvalidStudyPackageError",
    "NoAnswersError",
    "Problem",
    "StudyDataError",
    "StudyPackage",
    "TableSpec",
    "UnexportableAnswerError",
    "UnknownExportFormatError",
    "answers_export",
    "answers_table",
    "answers_zip",
    "coerce_table",
    "empty_table",
    "read_package",
    "table_specs",
    "validate_package",
    "write_answers",
    "write_package",
]

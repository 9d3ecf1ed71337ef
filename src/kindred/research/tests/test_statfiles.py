"""The streaming .dta and .sav writers, read back with an independent reader (pyreadstat)."""

import math

import numpy as np
import pyreadstat
import pytest

from kindred.research.statfiles import Column, DtaWriter, SavWriter


def columns():
    return [
        Column("study_id", "Random study ID", "text", 10),
        Column("language", "Idioma de la visita", "text", 2),
        Column(
            "a_rather_long_variable_name_here",
            "A long name",
            "number",
            value_labels={0.0: "Never", 1.0: "Sometimes", 2.0: "Often"},
        ),
        Column("score_total", "Score", "number"),
        Column("flags", "Flags", "text", 30),
    ]


@pytest.mark.parametrize(
    ("writer", "reader", "suffix"),
    [
        (DtaWriter, pyreadstat.read_dta, ".dta"),
        (SavWriter, pyreadstat.read_sav, ".sav"),
    ],
)
def test_files_read_back_exactly(tmp_path, writer, reader, suffix):
    path = tmp_path / f"data{suffix}"
    out = writer(path, columns(), 4, "Kindred test")
    out.write(
        {
            "study_id": ["ABCDEFGHJK", "MNPQRSTUVW"],
            "language": ["es", None],
            "a_rather_long_variable_name_here": np.array([0.0, np.nan]),
            "score_total": np.array([2.06, 13.5]),
            "flags": ["safety watch", ""],
        }
    )
    out.write(
        {  # a second batch appends rows
            "study_id": ["XYZXYZXYZX", "ÁÉÍÓÚÑ"],
            "language": ["en", "es"],
            "a_rather_long_variable_name_here": np.array([2.0, 1.0]),
            "score_total": np.array([np.nan, 0.0]),
            "flags": [None, "x" * 40],  # longer than the column: cut to its width
        }
    )
    out.close()
    frame, meta = reader(str(path))
    assert list(frame.columns) == [c.name for c in columns()]
    assert frame["study_id"].tolist()[:3] == ["ABCDEFGHJK", "MNPQRSTUVW", "XYZXYZXYZX"]
    assert frame["language"].tolist() == ["es", "", "en", "es"]
    assert frame["score_total"].tolist()[:2] == [2.06, 13.5] and math.isnan(frame["score_total"][2])
    assert math.isnan(frame["a_rather_long_variable_name_here"][1])
    assert frame["flags"][3] == "x" * 30
    assert frame["study_id"][3] == "ÁÉÍÓÚ"  # cut to 10 bytes without splitting a letter
    assert meta.column_names_to_labels["language"] == "Idioma de la visita"
    labels = meta.variable_value_labels["a_rather_long_variable_name_here"]
    assert {float(k): v for k, v in labels.items()} == {
        0.0: "Never",
        1.0: "Sometimes",
        2.0: "Often",
    }
    assert meta.number_rows == 4

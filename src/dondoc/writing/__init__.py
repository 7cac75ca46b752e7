"""Writing: report data → official documents (.docx in the Party's or the State's layout) and .xlsx
workbooks. Plain Python like reading/ and parsing/: no Django, no app, deterministic bytes."""

"""Generated data in the shape of real use, for the load test and the page benchmarks
(`manage.py generate_demo`): the registry of one province or of the country with its 2025 history
(`registry.py`), directives, assignments and progress reports spread over years (`work.py`), the people who
log in (`people.py`), the whole run (`demo.py`) and a digest of what was written (`digest.py`)."""

"""需求调查: questionnaires (a version is one frozen JSON document), answers, importers, validity and analysis.

Pure logic: no database, no Qt. Services (core/services/surveys.py) store what these modules compute."""

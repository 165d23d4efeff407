"""furat: multilingual conflict news → a structured, geolocated, source-attributed event record."""

__version__ = "0.1.0"

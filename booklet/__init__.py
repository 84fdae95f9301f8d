"""booklet: commemorative statements plus YAML metadata → typeset PDF booklets."""

__version__ = "0.1.0"

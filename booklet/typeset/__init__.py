"""Stage 3, typesetting: the layout's fonts and geometry, composed paragraphs, WeasyPrint's page layout."""

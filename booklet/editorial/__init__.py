"""Stage 2, editorial: checks of the corpus, the template context, localisation and the HTML of an edition."""

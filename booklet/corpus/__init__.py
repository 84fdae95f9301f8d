"""Stage 1, the corpus: YAML and statement files → the validated model; imports and declared edits."""

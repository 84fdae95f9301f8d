"""Stage 4, press: the files a build writes (print, screen, imposed, EPUB), their preflight, and out/."""

from booklet.cli import run

run()

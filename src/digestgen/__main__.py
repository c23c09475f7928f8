from digestgen.cli import run

run()

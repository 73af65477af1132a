"""``python -m mentorwijs.cli``: the same as the ``mentorwijs`` command."""

from mentorwijs.cli import main

main(prog_name="mentorwijs")

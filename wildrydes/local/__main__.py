"""``python -m wildrydes.local serve --port P``: the embedded backend in the foreground."""

from wildrydes.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["local", *__import__("sys").argv[1:]]))

#!/usr/bin/env python3
"""Prints the fenced code blocks of one language from a Markdown file, so that the tests run the
README's examples exactly as printed.

    scripts/readme_blocks.py README.md c          # every ```c block, in order
    scripts/readme_blocks.py README.md sh 2       # only the 3rd ```sh block (0-based)
"""
import re
import sys


def blocks(text: str, lang: str):
    return [m.group(1) for m in re.finditer(r"^```" + re.escape(lang) + r"\n(.*?)^```$", text, re.M | re.S)]


def main() -> int:
    path, lang = sys.argv[1], sys.argv[2]
    found = blocks(open(path, encoding="utf-8").read(), lang)
    if len(sys.argv) > 3:
        found = [found[int(sys.argv[3])]]
    if not found:
        print(f"{path}: no ```{lang} block", file=sys.stderr)
        return 1
    sys.stdout.write("\n".join(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m addin.cdcs.template [ROOT]``: regenerate the shipped CĐCS workbooks."""

import sys

from addin.cdcs.template.builder import _main

sys.exit(_main(sys.argv[1:]))

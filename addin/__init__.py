"""sangkien: the library behind the command line and the Excel buttons of the initiative campaign.

The package is layered along the flow of the campaign (``tests/test_layers.py`` holds the order):
``addin.io`` bytes and files (the safety gate is the only door to a workbook), ``addin.sheets`` the neutral
sheet model, ``addin.registry``, ``addin.cdcs`` the grassroots workbook (template, reader, validation),
``addin.documents`` the letters, ``addin.district``, ``addin.dossier``, ``addin.province`` (and the national
roll-up), ``addin.render``; the skins ``addin.cli``, ``addin.demo`` and ``addin.excel`` sit on top. The domain
(campaign, contract, rules, issues) is the separate package ``validators``.
"""

from pathlib import Path

__version__ = "0.1.0"

# The checkout the package runs from: the shipped workbooks and the VBA sources live beside the code.
PROJECT_ROOT = Path(__file__).resolve().parent.parent

"""Synthetic Nghị định 30/2020 documents with ground truth, for tests and benchmarks.

``templates`` writes what a document says (seeded); ``generate`` lays it out
on A4 as NĐ 30 Phụ lục I prescribes, renders it and degrades it like a scan:
``from tests.corpus.generate import generate, word_recall``. Nothing is
imported here so that ``python -m tests.corpus.generate`` runs cleanly.
"""

"""A PDF the build has just written, read through pypdf's object model without parsing the file.

WeasyPrint writes every dictionary of a file into one compressed object stream, and pypdf parses
that whole stream (thousands of structure-tree objects in a tagged file) for the first object it
is asked for: ≈ 0.15 s a file, and three times an edition (two preflights and the imposition).
The build still holds the pydyf objects the file was serialised from, so it reads those instead.
Each object is converted when first asked for, by pypdf's own parser, from the very bytes pydyf
wrote for it (`Object.data`): what is checked is what the file says, object by object.
"""

from __future__ import annotations

import io
from functools import cached_property
from typing import Any, cast

from pypdf import DocumentInformation, PageObject
from pypdf.generic import DictionaryObject, IndirectObject, PdfObject, read_object


class PdfObjects:
    """The parts of `pypdf.PdfReader` that preflight and imposition use, over a written pydyf.PDF."""

    is_encrypted = False
    """pydyf writes no encryption dictionary: nothing the build writes can be encrypted."""
    # What pypdf's parser may ask of the document it reads for (its PdfReaderProtocol).
    pdf_header = "%PDF-1.7"
    strict = False

    def __init__(self, pdf: Any) -> None:
        self._pdf = pdf
        self._converted: dict[int, PdfObject] = {}
        self.xref: dict[int, dict[int, Any]] = {}
        self.trailer: dict[str, Any] = {}

    def close(self) -> None:
        """Let go of the file's objects once nothing reads them any more: each converted object
        refers back to this reader, and so may what pypdf made from them (an imposition's pages),
        cycles that would keep the whole file's objects until the collector happens to run."""
        self._converted.clear()
        for cached in ("root_object", "pages"):
            self.__dict__.pop(cached, None)
        self._pdf = None

    def get_object(self, reference: int | IndirectObject) -> PdfObject:
        number = reference if isinstance(reference, int) else reference.idnum
        if number not in self._converted:
            converted = read_object(io.BytesIO(self._pdf.objects[number].data), self)
            converted.indirect_reference = IndirectObject(number, 0, self)
            self._converted[number] = converted
        return self._converted[number]

    def _dictionary(self, number: int) -> DictionaryObject:
        found = self.get_object(number)
        assert isinstance(found, DictionaryObject)
        return found

    @cached_property
    def root_object(self) -> DictionaryObject:
        return self._dictionary(self._pdf.catalog.number)

    @cached_property
    def pages(self) -> list[PageObject]:
        pages = []
        for number in self._pdf.pages["Kids"][::3]:
            page = PageObject(self, IndirectObject(number, 0, self))
            page.update(self._dictionary(number))
            pages.append(page)
        return pages

    @property
    def metadata(self) -> DocumentInformation | None:
        info = self._pdf.info
        if not info:
            return None
        found = DocumentInformation()
        found.update(cast(DictionaryObject, read_object(io.BytesIO(info.data), self)))
        return found

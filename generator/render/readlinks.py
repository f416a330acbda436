"""A way to every paper: direct links where the catalogue knows them, else title searches.

Direct links come from the paper's ids and its ``links``: arXiv abstract and PDF, DOI,
the paper's own PDF or web page, and the Hugging Face papers page of an arXiv paper.
A paper with none of arXiv id, DOI, PDF or web page (a project, code or demo page is about
the paper, not the paper) also gets title searches on arXiv, Semantic Scholar and Google
Scholar. Titles and DOIs are percent-encoded here, so
quotes, ``&``, ``#`` or ``<`` in them can never end or extend a URL.
"""

from __future__ import annotations

from urllib.parse import quote, quote_plus

from generator.catalogue.model import Paper

Link = tuple[str, str]  # (label, url)

# Labels of the ``links`` kinds, in the order their buttons appear after the direct links.
LINK_LABELS = {
    "pdf": "PDF", "url": "Web page", "code": "Code", "project": "Project", "data": "Data",
    "video": "Video", "slides": "Slides", "blog": "Blog", "demo": "Demo",
}  # fmt: skip
# ``links`` kinds that lead to the paper itself; the others (code, project, demo ...)
# are about it, so a paper with only those still gets title searches. `import` files a
# library entry's URL as ``url`` (or ``pdf``).
PAPER_KINDS = ("pdf", "url")
SEARCHES = (
    ("arXiv", "https://arxiv.org/search/?query={}&searchtype=title"),
    ("Semantic Scholar", "https://www.semanticscholar.org/search?q={}"),
    ("Google Scholar", "https://scholar.google.com/scholar?q={}"),
)


def doi_url(doi: str) -> str:
    """``https://doi.org/<doi>`` with everything outside a DOI's usual path characters
    percent-encoded (a DOI may hold ``#``, ``?``, ``<``, ``"`` or spaces)."""
    return "https://doi.org/" + quote(doi, safe="/:;()")


def arxiv_abs(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{quote(arxiv_id, safe='/.')}"


def arxiv_pdf(arxiv_id: str) -> str:
    return f"https://arxiv.org/pdf/{quote(arxiv_id, safe='/.')}"


def huggingface(arxiv_id: str) -> str:
    return f"https://huggingface.co/papers/{quote(arxiv_id, safe='/.')}"


def has_direct(paper: Paper) -> bool:
    """True when the catalogue knows a way to the paper itself (not just a search)."""
    return bool(paper.arxiv or paper.doi or any(paper.links.get(k) for k in PAPER_KINDS))


def main_link(paper: Paper) -> str:
    """The one best way to read the paper, or "" when only a search can find it:
    arXiv abstract, else DOI, else the paper's PDF, else its web page."""
    if paper.arxiv:
        return arxiv_abs(paper.arxiv)
    if paper.doi:
        return doi_url(paper.doi)
    return next((paper.links[k] for k in PAPER_KINDS if paper.links.get(k)), "")


def paper_links(paper: Paper) -> list[Link]:
    """The page's link buttons: arXiv, PDF, DOI, web page, Hugging Face, then the
    other ``links`` (code, project ...)."""
    out: list[Link] = []
    if paper.arxiv:
        out.append(("arXiv", arxiv_abs(paper.arxiv)))
    if paper.links.get("pdf"):
        out.append(("PDF", paper.links["pdf"]))
    elif paper.arxiv:
        out.append(("PDF", arxiv_pdf(paper.arxiv)))
    if paper.doi:
        out.append(("DOI", doi_url(paper.doi)))
    if paper.arxiv:
        out.append(("Hugging Face", huggingface(paper.arxiv)))
    out += [(label, paper.links[k]) for k, label in LINK_LABELS.items()
            if k != "pdf" and paper.links.get(k)]  # fmt: skip
    return out


def search_links(title: str) -> list[Link]:
    """Title searches (arXiv, Semantic Scholar, Google Scholar), the title encoded."""
    query = quote_plus(" ".join(title.split()))
    return [(label, pattern.format(query)) for label, pattern in SEARCHES]
